# the Go version to build with
ARG GO_VERSION=1.23
# ^ malformed-description-comment
# BASE is the runtime image
ARG BASE=alpine:3.20
FROM golang:${GO_VERSION} AS build
