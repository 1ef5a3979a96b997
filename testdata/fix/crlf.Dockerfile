FROM golang:1.22
WORKDIR /src
RUN go build -o /app .

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates
COPY --from=0 /app /app
CMD ["/app"]
