FROM alpine:3.20
RUN set -eux; \
    if [ -f /etc/x ]; then \
[ -d /y ] && echo y; \
    fi
RUN apk add \
  [ \
  ]
