FROM alpine:3.20 AS base
ENV A=1 B="2 3"
LABEL a=b
ARG NAME VERSION
ONBUILD ENV TRIGGER checked where it runs
ENV EMPTY=
LABEL "quoted key" value
# ^ legacy-key-value
ENV JAVA_OPTS -Dkey=value
# ^ legacy-key-value
