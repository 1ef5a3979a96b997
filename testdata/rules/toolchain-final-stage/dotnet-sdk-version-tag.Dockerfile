FROM mcr.microsoft.com/dotnet/sdk:8.0.204-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /app

# The SDK version 8.0.204 is not a runtime tag: the runtime image gets 8.0.
FROM mcr.microsoft.com/dotnet/sdk:8.0.204-bookworm-slim
# ^ toolchain-final-stage
WORKDIR /app
COPY --from=build /app .
ENTRYPOINT ["dotnet", "Api.dll"]
