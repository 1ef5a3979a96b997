# `go run` compiles at every start: the toolchain ships, and there is no artifact to copy.
FROM golang:1.22
# ^ single-stage-build
WORKDIR /src
COPY . .
CMD ["go", "run", "."]
