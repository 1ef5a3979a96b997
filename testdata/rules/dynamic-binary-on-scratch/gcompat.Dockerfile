FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
RUN gcc -o /demo /main.c

# gcompat runs glibc programs on musl.
FROM alpine:3.20
RUN apk add --no-cache gcompat
COPY --from=build /demo /demo
CMD ["/demo"]
