FROM golang:1.22 AS Build
FROM build AS test
FROM BUILD
FROM scratch
FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM localhost:5000/tools
# ^ untagged-image
from docker.io/library/ubuntu as later
# ^ untagged-image
FROM later
ONBUILD FROM ubuntu
