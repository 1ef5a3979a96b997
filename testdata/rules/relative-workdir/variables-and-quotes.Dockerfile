FROM alpine:3.20
WORKDIR "/app"
FROM alpine:3.20
WORKDIR '/srv/www'
FROM alpine:3.20
WORKDIR $HOME/app
FROM alpine:3.20
ARG DIR=build
WORKDIR $DIR
# ^ relative-workdir
FROM alpine:3.20
ARG SUB
WORKDIR app/$SUB
# ^ relative-workdir
FROM alpine:3.20
ENV ROOT=/opt
WORKDIR ${ROOT}/app
WORKDIR "quoted dir"
# ^ relative-workdir
FROM alpine:3.20
ONBUILD WORKDIR later
WORKDIR C:/not/on/linux
FROM alpine:3.20
WORKDIR ~/app
# ^ relative-workdir
