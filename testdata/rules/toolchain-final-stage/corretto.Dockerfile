FROM maven:3.9-amazoncorretto-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B package

FROM amazoncorretto:21.0.4
# ^ toolchain-final-stage
RUN yum install -y shadow-utils && yum clean all && useradd app
USER app
COPY --from=build /src/target/app.jar /app.jar
ENTRYPOINT ["java", "-jar", "/app.jar"]
