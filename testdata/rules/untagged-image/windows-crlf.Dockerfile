# escape=`
ARG core=mcr.microsoft.com/windows/servercore
FROM $core AS download
# ^ untagged-image
RUN Write-Host `
  hi
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
