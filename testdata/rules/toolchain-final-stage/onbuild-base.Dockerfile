FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/gen ./cmd/gen

# A base image for other builds: its ONBUILD triggers use the toolchain.
FROM golang:1.22-bookworm
COPY --from=build /out/gen /usr/local/bin/gen
ONBUILD COPY . /src
ONBUILD RUN gen /src && go build -o /app /src
