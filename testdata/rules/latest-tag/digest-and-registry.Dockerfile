FROM ubuntu:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM localhost:5000/team/app:latest AS app
# ^ latest-tag
from ghcr.io/acme/tool:latest as tool
# ^ latest-tag
FROM app
ONBUILD FROM ubuntu:latest
COPY --from=alpine:latest /etc/alpine-release /
