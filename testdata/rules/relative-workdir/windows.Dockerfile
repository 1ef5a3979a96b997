# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:\app
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR \inetpub
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR app
# ^ relative-workdir
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
WORKDIR C:/tools
WORKDIR bin
# ^ relative-workdir
