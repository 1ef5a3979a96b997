FROM alpine:3.20
ENV DEPS curl \
# ^ legacy-key-value
    git \
    make
ENV OPTS -Xmx1g \
# ^ legacy-key-value
    -Dfile.encoding=UTF-8 \

    -Duser.timezone=UTC
ENV KEY \
# ^ legacy-key-value
    value
