ARG WINDOWS=windows/amd64
FROM --platform=linux/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022 AS a
# ^ base-image-platform-mismatch
FROM --platform=$WINDOWS alpine:3.20 AS b
# ^ base-image-platform-mismatch
FROM --platform=windows/amd64 python:3.12-slim AS c
# ^ base-image-platform-mismatch
FROM --platform=windows/amd64 python:3.12 AS d
FROM --platform=linux/x86_64 arm64v8/alpine:3.20 AS e
# ^ base-image-platform-mismatch
FROM --platform=linux/aarch64 arm64v8/alpine:3.20 AS f
FROM --platform=linux/arm/v7 arm32v7/debian:12 AS g
FROM --platform=$BUILDPLATFORM arm64v8/alpine:3.20 AS h
FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:ltsc2022 AS i
FROM --platform=linux/amd64 golang:1.22-windowsservercore-ltsc2022 AS j
# ^ base-image-platform-mismatch
FROM --platform=windows/amd64 scratch AS k
FROM --platform=linux/amd64 a AS l
FROM --platform=linux/amd64 acme/tools AS m
