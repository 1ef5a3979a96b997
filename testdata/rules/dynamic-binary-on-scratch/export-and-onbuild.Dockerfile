FROM golang:1.22 AS build
WORKDIR /src
ONBUILD RUN go build -o /app .
RUN go build -o /app2 .

# The ONBUILD build runs in images built on `build`, not here; /app2 is reported.
FROM scratch
COPY --from=build /app /app
COPY --from=build /app2 /app2
# ^ dynamic-binary-on-scratch
ENTRYPOINT ["/app2"]
