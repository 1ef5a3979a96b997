ARG FROM_STAGE=build
FROM golang:1.22 AS Build
RUN go build -o /app .
FROM alpine:3.20 AS runtime
COPY --from=BUILD /app /app
COPY --from=${FROM_STAGE} /app /app2
COPY --from=$DYNAMIC /x /x
COPY --from=runtime /x /x
# ^ undefined-stage
COPY --from=1 /x /x
# ^ undefined-stage
COPY --from=ghcr.io/org/tool:1 /tool /tool
COPY --from=org/tool /tool /tool
RUN --mount=from=bild,target=/b true
# ^ undefined-stage
RUN --mount=type=cache,target=/c true
COPY --from=Bad:Name:: /x /x
# ^ undefined-stage
COPY --from build /app /app
# ^ undefined-stage
