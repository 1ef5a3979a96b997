# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN curl -o C:\x.zip https://example.com/x.zip
RUN del C:\x.zip
SHELL ["powershell", "-Command"]
RUN Remove-Item C:\x.zip
