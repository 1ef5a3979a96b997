FROM alpine:3.20
# Kept for debugging.
CMD ["sh"]
# ^ overridden-instruction

ENTRYPOINT ["/app", \
# ^ overridden-instruction
    "--verbose"]

ENTRYPOINT ["/app"]
CMD ["--port", "80"]
