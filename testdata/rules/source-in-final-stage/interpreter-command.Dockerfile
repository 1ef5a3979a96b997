FROM golang:1.22 AS tools
RUN CGO_ENABLED=0 go build -o /out/helper ./cmd/helper

# The CMD runs Python from the copied sources.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
COPY --from=tools /out/helper /usr/local/bin/helper
WORKDIR /app
COPY . .
CMD python3 main.py
