FROM golang:1.22 AS build
WORKDIR src/app
# ^ relative-workdir
WORKDIR ../tools
# ^ relative-workdir
FROM build AS test
WORKDIR unit
# ^ relative-workdir
FROM alpine:3.20 AS plain
WORKDIR /srv
WORKDIR ./www/.
# ^ relative-workdir
FROM plain
WORKDIR logs
# ^ relative-workdir
FROM acme/unknown:1.0
WORKDIR app
# ^ relative-workdir
WORKDIR bin
# ^ relative-workdir
FROM scratch
WORKDIR .
# ^ relative-workdir
FROM acme/unknown:1.0 AS declared
WORKDIR /opt/app
FROM declared
WORKDIR data
# ^ relative-workdir
