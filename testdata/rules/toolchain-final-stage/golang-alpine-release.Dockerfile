FROM golang:1.22-alpine3.20 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

# The Alpine release is in the tag: the runtime is that Alpine.
FROM golang:1.22-alpine3.20
# ^ toolchain-final-stage
RUN adduser -D app
USER app
COPY --from=build /out/app /usr/local/bin/app
CMD ["app", "--listen", ":8080"]
