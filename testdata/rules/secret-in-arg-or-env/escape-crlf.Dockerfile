# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV APP_HOME=C:\app `
    Client_Secret=abc `
# ^ secret-in-arg-or-env
    LOG_LEVEL=info
ARG Token
# ^ secret-in-arg-or-env
