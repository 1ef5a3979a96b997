# All uppercase (the ONBUILD trigger and the global arg are not looked at).
arg VERSION=3.20
FROM alpine:${VERSION} AS base
RUN echo hi
ONBUILD run echo triggered
CMD ["sh"]
