FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B package

# openjdk:17 is Oracle Linux (microdnf); its JRE replacement, eclipse-temurin, is Ubuntu: no fix.
FROM openjdk:17
# ^ toolchain-final-stage
RUN microdnf install -y fontconfig && microdnf clean all
COPY --from=build /src/target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
