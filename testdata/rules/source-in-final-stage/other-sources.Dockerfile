FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

# Named files and directories are fine; `.` inside a --from copy is the builder's, not the context.
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
COPY --from=build /src/templates/ /templates/
COPY config.yaml /etc/app/config.yaml
COPY static/ /static/
ENTRYPOINT ["/app"]
