# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR C:\src
RUN dotnet publish -c Release -o C:\out

FROM mcr.microsoft.com/dotnet/runtime:8.0
COPY --from=0 C:\out C:\app
RUN powershell -Command `
    Write-Host hello
