FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -DskipTests package

# openjdk up to 11 has its own JRE tags; `java -jar` runs on a JRE.
FROM openjdk:11.0.16-jdk-slim
# ^ toolchain-final-stage
WORKDIR /app
COPY --from=build /src/target/app.jar app.jar
RUN apt-get update && apt-get install -y --no-install-recommends fontconfig && rm -rf /var/lib/apt/lists/*
EXPOSE 8080
CMD ["java", "-jar", "app.jar"]
