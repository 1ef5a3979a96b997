FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
WORKDIR /src
COPY main.c .
RUN gcc -o /usr/local/bin/demo main.c

FROM alpine:3.20 AS musl-build
RUN apk add --no-cache build-base
WORKDIR /src
COPY main.c .
RUN gcc -o /usr/local/bin/demo-musl main.c

# A musl build runs on Alpine; a glibc build does not.
FROM alpine:3.20
COPY --from=build /usr/local/bin/demo /usr/local/bin/demo
# ^ dynamic-binary-on-scratch
COPY --from=musl-build /usr/local/bin/demo-musl /usr/local/bin/demo-musl
CMD ["demo"]
