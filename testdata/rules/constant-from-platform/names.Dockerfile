# A constant platform is accepted when the stage's name carries its OS or architecture.
FROM --platform=linux/amd64 alpine:3.20 AS build-amd64
FROM --platform=linux/arm64 alpine:3.20 AS tools-linux
FROM --platform=linux/arm/v7 alpine:3.20 AS build-arm
FROM --platform=linux/arm/v7 alpine:3.20 AS build-v7
# ^ constant-from-platform
FROM --platform=linux/x86_64 alpine:3.20 AS amd64
# ^ constant-from-platform
FROM --platform=LINUX/AMD64 alpine:3.20 AS linux
# ^ constant-from-platform
FROM --platform="windows/amd64" alpine:3.20 AS win
# ^ constant-from-platform
FROM --platform=linux/amd64 scratch
# ^ constant-from-platform
FROM --platform=$BUILDPLATFORM alpine:3.20 AS build
FROM --platform=${PLATFORM:-linux/amd64} alpine:3.20 AS pinned
FROM build-${TARGETARCH}
