FROM alpine:3.20 AS build
RUN echo one
FROM alpine:3.20 AS test
# Names are compared as BuildKit compares them, ignoring case.
FROM alpine:3.20 AS Build
# ^ duplicate-stage-name
FROM alpine:3.20 AS build
# ^ duplicate-stage-name
FROM alpine:3.20 as TEST
# ^ duplicate-stage-name
# Unnamed stages have no name to share.
FROM alpine:3.20
FROM alpine:3.20
FROM alpine:3.20 AS build-2
# Names BuildKit refuses stop the build before this check.
FROM alpine:3.20 AS {name}
FROM alpine:3.20 AS {name}
