FROM gradle:8.7-jdk21 AS build
WORKDIR /src
COPY . .
RUN gradle bootJar

# The JDK's own tools in a HEALTHCHECK: the stage uses the JDK, not reported.
FROM eclipse-temurin:21-jdk
COPY --from=build /src/build/libs/app.jar /app.jar
HEALTHCHECK CMD jcmd 1 VM.uptime || exit 1
CMD ["java", "-jar", "/app.jar"]
