# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN apk add curl
CMD ["curl", "--version"]
