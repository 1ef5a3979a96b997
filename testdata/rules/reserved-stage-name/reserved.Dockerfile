FROM alpine:3.20 AS scratch
# ^ reserved-stage-name
FROM alpine:3.20 AS CONTEXT
# ^ reserved-stage-name
# Only `scratch` and `context` are reserved; building on scratch is fine.
FROM alpine:3.20 AS local
FROM alpine:3.20 AS default
FROM scratch
FROM scratch AS scratch-stage
