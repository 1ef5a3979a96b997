# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-jammy AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release `
    -o /app

# A HEALTHCHECK in exec form that runs the program itself needs no extra tool.
FROM mcr.microsoft.com/dotnet/sdk:8.0-jammy
# ^ toolchain-final-stage
WORKDIR /app
COPY --from=build /app .
HEALTHCHECK CMD ["dotnet", "Api.dll", "--health"]
ENTRYPOINT ["dotnet", "Api.dll"]
