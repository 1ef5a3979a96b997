# FROM sees the ARGs before the first FROM and BuildKit's platform ARGs, nothing else.
ARG BASE_TAG=3.20
ARG VARIANT
FROM alpine:${BASE_TAG}${VARIANT} AS base
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM alpine:$TARGETARCH-${TARGETVARIANT}
ARG STAGE_TAG=3.19
FROM alpine:${STAGE_TAG}
# ^ undefined-arg-in-from
FROM node:22${NODE_VARIANT:-} AS web
# ^ undefined-arg-in-from
FROM alpine:${REQUIRED?unset}
FROM alpine:'$QUOTED' AS quoted
FROM alpine:\$ESCAPED AS escaped
FROM ${REGISTRY:-docker.io}/library/alpine:${BASE_TAG} AS mirrored
# ^ undefined-arg-in-from
