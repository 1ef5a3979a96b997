# syntax=docker/dockerfile:1.7
# check=skip=JSONArgsRecommended
# escape=\
ARG BASE=alpine:3.20
FROM ${BASE} AS base
RUN <<EOT bash
  set -e
  echo hi
EOT
COPY --link --chmod=755 --parents ./a/*.sh /b/
ADD --checksum=sha256:abc --keep-git-dir=true https://example.com/x.git /src
RUN --network=none --security=insecure true
ONBUILD RUN echo child
HEALTHCHECK --interval=5s --timeout=3s CMD curl -f http://localhost/ || exit 1
STOPSIGNAL SIGTERM
USER 1000:1000
VOLUME ["/data"]
EXPOSE 80/tcp 443
LABEL a=b "c d"="e f"
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
