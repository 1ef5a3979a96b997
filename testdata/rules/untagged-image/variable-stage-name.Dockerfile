ARG FIRST=first
FROM alpine:3.20 AS ${FIRST}
# a bare name may be the stage `first` (buildah expands stage names), so it is not flagged
FROM ${FIRST}
FROM first
FROM alpine
# ^ untagged-image
FROM docker.io/library/ubuntu
# ^ untagged-image
