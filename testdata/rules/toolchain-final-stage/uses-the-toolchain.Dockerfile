# The final stage runs the toolchain: `go run`, `go test`, `mvn` are not artifacts.
FROM golang:1.22-bookworm AS deps
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download

FROM golang:1.22-bookworm
COPY --from=deps /go/pkg/mod /go/pkg/mod
WORKDIR /src
COPY . .
RUN go vet ./...
CMD ["go", "run", "."]
