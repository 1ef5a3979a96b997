FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /out .
add --chown=app:app . /srv/
#                   ^ source-in-final-stage
USER app
ENTRYPOINT ["dotnet", "Api.dll"]
