# syntax=docker/dockerfile:1
ARG BASE=debian:12-slim
ARG GO_VERSION=1.22
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS Build
ARG GO_VERSION
ENV CGO_ENABLED=0 GOPATH=/go
WORKDIR /src
WORKDIR ./cmd/../app
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .

FROM build AS test
WORKDIR tests
RUN go test ./...

FROM ${BASE} AS runtime
COPY --from=build /out/app /usr/local/bin/app
COPY --from=1 /src/app/tests/report.xml /report.xml
RUN --mount=from=test,source=/src,target=/mnt ls /mnt
COPY --from=registry.example.com:5000/team/tools:2@sha256:0123456789abcdef /bin/tool /bin/tool
COPY --from=$UNSET /x /x
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
USER 1000
ENTRYPOINT ["app"]

FROM scratch
COPY --from=runtime / /
