FROM alpine:3.20
RUN wget -O /tmp/a.tgz https://example.com/a.tgz && tar -xzf /tmp/a.tgz -C /opt
RUN echo cleaning \
 && rm -f /tmp/a.tgz
# ^ cleanup-in-later-layer
