# The official-image pattern: build from source and remove the compilers in the same layer.
FROM debian:bookworm-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends gcc make libc6-dev; \
    make -C /usr/src/tool; \
    apt-get purge -y --auto-remove gcc make libc6-dev; \
    rm -rf /var/lib/apt/lists/*
CMD ["tool"]
