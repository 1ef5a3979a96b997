# The tag names no Debian release: the runtime image is not derivable, no fix.
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM golang:1.22
# ^ toolchain-final-stage
COPY --from=build /out/app /usr/local/bin/app
ENTRYPOINT ["/usr/local/bin/app"]
