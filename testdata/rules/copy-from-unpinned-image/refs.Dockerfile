ARG TOOLS=ghcr.io/acme/tools
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=build /out/app /app
COPY --from=0 /out/app /app2
COPY --from=builder /x /x
COPY --from=composer:latest /usr/bin/composer /usr/bin/composer
# ^ copy-from-unpinned-image
COPY --from=composer:2.7 /usr/bin/composer /usr/bin/composer2
COPY --from=ghcr.io/acme/tools /bin/tool /bin/tool
# ^ copy-from-unpinned-image
COPY --from=docker.io/library/busybox:musl /bin/busybox /bin/busybox
# ^ copy-from-unpinned-image
COPY --from=busybox:1.36@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef /bin/busybox /bin/bb
COPY --from=busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef /bin/busybox /bin/bb2
ARG TOOLS
COPY --from=${TOOLS} /bin/t /bin/t
# ^ copy-from-unpinned-image
COPY --from=$UNKNOWN /bin/u /bin/u
RUN --mount=from=node:lts,source=/usr/local/bin/node,target=/node /node --version
# ^ copy-from-unpinned-image
RUN --mount=type=bind,from=build,source=/out,target=/out ls /out
ONBUILD COPY --from=composer:latest /usr/bin/composer /usr/bin/composer
