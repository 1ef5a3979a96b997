# One stage: nothing is compiled elsewhere.
FROM debian:bookworm-slim
COPY . /app
CMD ["/app/run"]
