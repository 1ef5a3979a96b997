FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM eclipse-temurin:21-jre AS jre
COPY --from=build /out/app /app

FROM amazoncorretto:21-al2023-headless AS headless
COPY --from=build /out/app /app

# A final toolchain stage that copies only from an image, not from a stage of the file.
FROM golang:1.22-bookworm
COPY --from=alpine:3.20 /etc/alpine-release /etc/
CMD ["go", "version"]
