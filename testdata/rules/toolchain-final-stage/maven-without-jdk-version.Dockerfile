FROM maven:3.9.6 AS build
WORKDIR /src
COPY . .
RUN mvn -B package

# `maven:3.9.6` names no JDK: the Java version is not known, no fix.
FROM maven:3.9.6
# ^ toolchain-final-stage
COPY --from=build /src/target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
