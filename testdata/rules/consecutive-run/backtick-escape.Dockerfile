# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN mkdir C:\app
RUN echo hi > C:\app\a.txt
# ^ consecutive-run
