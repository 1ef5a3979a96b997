FROM golang:1.22 AS deps
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download

# The final stage builds: single-stage-build's business.
FROM golang:1.22
COPY --from=deps /go/pkg /go/pkg
WORKDIR /src
COPY . .
RUN go build -o /app .
CMD ["/app"]
