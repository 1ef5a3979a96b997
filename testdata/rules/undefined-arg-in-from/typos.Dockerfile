ARG ALPINE_VERSION=3.20
FROM --platform=$BUILDPLATFROM golang:1.22 AS build
# ^ undefined-arg-in-from
FROM alpine:$ALPINE_VERSOIN AS runtime
# ^ undefined-arg-in-from
FROM alpine:$alpine_version AS lower
# ^ undefined-arg-in-from
FROM alpine:$ALPINE_VER AS short
# ^ undefined-arg-in-from
