# Every reference by the name is rewritten; BuildKit matches names in any case, so the ones
# through a variable or in quotes keep working as they are.
ARG BASE=Builder
FROM golang:1.22 AS Builder
# ^ uppercase-stage-name
RUN go build -o /out/app .

FROM BUILDER AS Test-Runner.v2
# ^ uppercase-stage-name
RUN go test ./...

FROM ${BASE} AS lint
ARG FROM_STAGE=Builder
COPY --from=${FROM_STAGE} /out/app /tmp/app
COPY --from="Builder" /out/app /tmp/app2
RUN --mount=from=BuilDer,source=/out,target=/mnt ls /mnt
RUN --mount=type=bind,from=builder,source=/out,target=/mnt2 ls /mnt2
# A trigger's reference is resolved in the build that uses this image: left alone.
ONBUILD COPY --from=Builder /out/app /app

FROM debian:12-slim
COPY --from=Test-Runner.v2 /out/app /usr/local/bin/app
