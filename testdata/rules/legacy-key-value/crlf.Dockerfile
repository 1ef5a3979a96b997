FROM alpine:3.20
ENV DEPS curl \
# ^ legacy-key-value
    git
LABEL a b
# ^ legacy-key-value
