# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
MAINTAINER C:\Users\jane $env:USERNAME
# ^ maintainer-deprecated
