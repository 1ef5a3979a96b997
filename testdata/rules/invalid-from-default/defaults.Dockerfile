# Each FROM with the global ARGs at their defaults, as a build without --build-arg sees it.
ARG TAG
ARG VARIANT
ARG REGISTRY
ARG GOOD_TAG=3.20
ARG DERIVED=alpine:${GOOD_TAG}
ARG UPPER=Alpine
FROM busybox:${TAG}
# ^ invalid-from-default
FROM busybox:stable${VARIANT}
FROM alpine:${TAG:-3.20}
FROM ${REGISTRY}/team/app:1.0
# ^ invalid-from-default
FROM ${REGISTRY}alpine:${GOOD_TAG}
FROM ${DERIVED} AS derived
FROM ${UPPER}
# ^ invalid-from-default
FROM ${UNDECLARED}
# ^ invalid-from-default
FROM alpine:${TARGETARCH}
FROM alpine:${TARGETVARIANT}
# ^ invalid-from-default
FROM alpine:${TAG:?unset}
FROM 'alpine:$GOOD_TAG'
# ^ invalid-from-default
FROM "alpine:$GOOD_TAG"
