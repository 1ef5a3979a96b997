# A global ARG TARGETPLATFORM with a default makes the fix unsafe.
ARG TARGETPLATFORM=linux/arm64
FROM --platform=$TARGETPLATFORM alpine:3.20
# ^ redundant-target-platform
