# What a stage sees: global ARGs once declared again, ARGs without values, platform ARGs
# only when declared, the ENV and ARGs of the stage it is built on.
ARG VERSION=1.2.3
ARG CHANNEL
FROM alpine:3.20 AS build
LABEL version=$VERSION
# ^ undefined-variable
ARG VERSION
ARG CHANNEL
ARG EMPTY
LABEL version=$VERSION channel=$CHANNEL empty=$EMPTY
COPY $TARGETARCH/ /opt/
# ^ undefined-variable
ARG TARGETARCH
COPY $TARGETARCH/ /opt/
ENV APP_HOME=/srv/app
ARG BUILD_ONLY=1

FROM build AS test
WORKDIR $APP_HOME/$BUILD_ONLY/$VERSION

FROM alpine:3.20 AS release
LABEL channel=$CHANNEL
# ^ undefined-variable

FROM alpine:3.20
WORKDIR $APP_HOME
# ^ undefined-variable
COPY --from=build --chown=$OWNER /srv/app /srv/app
# ^ undefined-variable
ARG OWNER=app
ARG A=1 B=$A
ENV C=1 D=$C
# ^ undefined-variable
ENV E=$E:/extra
# ^ undefined-variable
