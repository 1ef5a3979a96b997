FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc musl-dev
RUN echo cleaning && apk del .build-deps
# ^ cleanup-in-later-layer
# `--no-cache` keeps no cache: `apk cache clean` has nothing to do.
RUN apk add --no-cache curl
RUN echo cleaning && apk cache clean
