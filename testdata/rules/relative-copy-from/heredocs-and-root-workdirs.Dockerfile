# Stages on images that set no WORKDIR run in `/`: relative and absolute sources agree.
FROM busybox:1.36 AS tools
FROM debian:12-slim AS base
RUN mkdir -p opt/app && touch opt/app/run
FROM ubuntu:24.04 AS other
FROM alpine:3.20
COPY --from=tools bin/busybox /bin/busybox
COPY --from=base opt/app/run /run
COPY --from=other etc/os-release /etc/os-release
COPY --from=index.docker.io/library/debian:12 etc/debian_version /etc/debian_version
# A heredoc source is inline content, not a path in the stage.
COPY --from=base <<robots.txt /srv/robots.txt
User-agent: *
robots.txt
# An image whose WORKDIR is not `/` still counts.
COPY --from=golang:1.22 bin/go /usr/local/bin/go
# ^ relative-copy-from
