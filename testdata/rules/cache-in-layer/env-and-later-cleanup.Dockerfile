FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
RUN pip install flask
ARG PIP_NO_CACHE_DIR
FROM debian:12-slim
RUN apt-get update
# ^ cache-in-layer
RUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN PIP_NO_CACHE_DIR=1 pip install x
RUN rm -f /etc/apt/apt.conf.d/docker-clean && apt-get install -y wget
# ^ cache-in-layer
RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y vim
# ^ cache-in-layer
RUN apk add --no-cache x && pip install y && pip cache purge
