FROM golang:1.23 AS build
RUN go build -o /app .
CMD go test ./...
# ^ shell-form-cmd
FROM scratch AS bare
COPY --from=build /app /app
CMD /app --listen :8080
# ^ shell-form-cmd
FROM python:3.12-slim AS py
CMD exec python -m http.server "8000"
# ^ shell-form-cmd
FROM node:22-slim AS node
CMD node server.js
# ^ shell-form-cmd
FROM python:3.12-slim AS entry
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD gunicorn app:app
# ^ shell-form-cmd
FROM entry AS derived
CMD gunicorn other:app
# ^ shell-form-cmd
FROM alpine:3.20 AS script
CMD /start.sh --verbose
# ^ shell-form-cmd
FROM alpine:3.20 AS entrypoint-and-cmd
ENTRYPOINT my-server --config /etc/my.conf
# ^ shell-form-cmd
CMD ["--debug"]
FROM alpine:3.20 AS entrypoint-alone
ENTRYPOINT exec my-server
# ^ shell-form-cmd
FROM alpine:3.20 AS continued
CMD my-server \
# ^ shell-form-cmd
    --port 80 \
    --host 'all interfaces'
