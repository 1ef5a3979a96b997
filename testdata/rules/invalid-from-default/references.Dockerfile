# A FROM without variables is checked too, as BuildKit does.
FROM alpine:3.20 AS build
FROM Build
# ^ invalid-from-default
FROM alpine@sha256:abc
# ^ invalid-from-default
FROM localhost:5000/team/app:1.0 AS local
FROM registry.example.com:/app
# ^ invalid-from-default
FROM a..b
# ^ invalid-from-default
FROM scratch
