FROM --platform=$TARGETPLATFORM alpine:3.20 AS a
# ^ redundant-target-platform
FROM --platform="${TARGETPLATFORM}" alpine:3.20 AS b
# ^ redundant-target-platform
FROM \
    --platform=$TARGETPLATFORM \
# ^ redundant-target-platform
    alpine:3.20 AS c
FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine:3.20 AS d
FROM --platform=$BUILDPLATFORM alpine:3.20 AS e
FROM --platform=$TARGETOS/$TARGETARCH alpine:3.20 AS f
ONBUILD RUN true
