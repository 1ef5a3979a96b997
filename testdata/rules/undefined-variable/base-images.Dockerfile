# Variables the base image sets: known for the official images, unknown for others.
ARG TAG
FROM golang:1.22 AS go
WORKDIR $GOPATH/src/app
ENV PATH=$GOROOT/bin:$PATH
# ^ undefined-variable

FROM mcr.microsoft.com/dotnet/aspnet:8.0
USER $APP_UID
LABEL dotnet=$DOTNET_VERSION aspnet=$ASPNET_VERSION

FROM arm32v7/openjdk:8-jre
ENV JRE=$JAVA_HOME
LABEL python=$PYTHON_VERSION
# ^ undefined-variable

FROM mirror.gcr.io/library/python:3.12-slim
LABEL python=$PYTHON_VERSION

FROM scratch
ENV PATH=$PATH:/bin
# ^ undefined-variable

FROM alpine:${TAG}
WORKDIR $HOME
# ^ undefined-variable

FROM acme/base:1.0 AS unknown
# The image may set these: not reported.
WORKDIR $APP_HOME
ENV LD_LIBRARY_PATH=/opt/lib:$LD_LIBRARY_PATH
# The file shows these are its own: reported.
ENV TOOLS=/opt/tools PATH=$TOOLS/bin:$PATH
# ^ undefined-variable
COPY $TAG /dst/
# ^ undefined-variable

FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR $ProgramFiles
