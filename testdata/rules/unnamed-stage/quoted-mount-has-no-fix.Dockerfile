# A `--mount` value in quotes has no exact range for `from=0`: the finding has no fix, so the
# rule declares its fix availability as `sometimes`.
FROM golang:1.22
RUN go build -o /out/app .
FROM debian:12-slim
RUN --mount="from=0,target=/x" cp /x/out/app /usr/local/bin/app
# ^ unnamed-stage
