FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

# No WORKDIR: `./app` lands in the golang image's /go.
FROM golang:1.22-bookworm
# ^ toolchain-final-stage
COPY --from=build /out/app ./app
CMD ["./app"]
