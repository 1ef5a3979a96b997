# syntax=docker/dockerfile:1
FROM debian:12
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    --mount=type=cache,target=/var/cache/apt,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y curl
RUN --mount=type=cache,target=/root/.cache pip install flask
RUN --mount=type=cache,target=/root/.npm npm ci
RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*
RUN sudo apt-get update \
 && apt-get install -y jq \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists
RUN apk add --no-cache bash
RUN pip3 install --no-cache-dir requests
RUN yum install -y which && yum clean all
RUN zypper --non-interactive install -y vim && zypper clean --all
RUN npm install && npm cache clean --force
RUN composer install --no-dev --no-cache
RUN gem install bundler && rm -rf /usr/local/bundle/cache
RUN apt-get update; apt-get install -y curl; apt-get dist-clean
RUN set -eux; \
    export COMPOSER_HOME="$(mktemp -d)"; \
    composer create-project --no-interaction "drupal/recommended-project" ./; \
    rm -rf "$COMPOSER_HOME"
RUN pip install x && rm -rf ${PIP_CACHE_DIR}/*
RUN --mount=type=cache,target=/var/cache/tdnf tdnf install -y azurelinux-repos && tdnf makecache
RUN apk add --no-network --virtual .rundeps $runDeps
