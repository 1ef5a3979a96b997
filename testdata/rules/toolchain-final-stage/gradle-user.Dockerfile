FROM gradle:8.7-jdk21-jammy AS build
WORKDIR /home/gradle/src
COPY --chown=gradle:gradle . .
RUN gradle build

# USER gradle comes from the gradle image; the JRE image has no such user.
FROM gradle:8.7-jdk21-jammy
# ^ toolchain-final-stage
WORKDIR /app
COPY --from=build /home/gradle/src/build/libs/app.jar /app/app.jar
USER gradle
CMD ["java", "-jar", "/app/app.jar"]
