ARG BASE=debian
ARG TAGGED=debian:12
ARG TAG=12
ARG EMPTY
ARG REG=registry.example.com:5000
FROM ${BASE} AS one
# ^ untagged-image
FROM ${TAGGED} AS two
FROM debian:${TAG} AS three
FROM ${EMPTY} AS four
FROM ${UNDECLARED:-alpine} AS five
# ^ untagged-image
FROM ${REG}/team/app AS six
# ^ untagged-image
FROM $REG/team/app:1.0
