ARG TAG=latest
ARG IMAGE="busybox:latest"
FROM node:${TAG} AS a
# ^ latest-tag
FROM $IMAGE AS b
# ^ latest-tag
FROM node:${UNSET:-latest} AS c
# ^ latest-tag
FROM node:${UNSET} AS d
FROM node AS e
FROM node:LATEST AS f
FROM node:latest-alpine AS g
FROM node:22 AS h
ARG LOCAL=latest
FROM node:${LOCAL}
