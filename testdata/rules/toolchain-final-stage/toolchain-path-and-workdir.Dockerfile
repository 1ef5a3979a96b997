FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN go install ./cmd/api

# `api` is found on the golang image's PATH (/go/bin), which debian:bookworm-slim lacks.
FROM golang:1.22-bookworm
# ^ toolchain-final-stage
COPY --from=build /go/bin/api /go/bin/api
CMD ["api"]
