FROM mcr.microsoft.com/dotnet/sdk:8.0 AS restore
WORKDIR /src
COPY *.csproj .
RUN dotnet restore

# `dotnet watch run` needs the SDK: not reported.
FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /src
COPY --from=restore /root/.nuget /root/.nuget
COPY . .
ENTRYPOINT ["dotnet", "watch", "run"]
