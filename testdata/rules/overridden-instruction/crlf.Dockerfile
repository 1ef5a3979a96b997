FROM alpine:3.20
cmd ["a"]
# ^ overridden-instruction

    CMD ["b"]
