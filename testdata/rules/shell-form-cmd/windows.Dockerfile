# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
CMD ping -t localhost
# ^ shell-form-cmd
CMD echo %PATH%
# ^ shell-form-cmd
ENTRYPOINT powershell -Command `
# ^ shell-form-cmd
    Get-Date
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS ps
SHELL ["powershell", "-Command"]
CMD Get-Date
