# Images of a toolchain itself are not single-stage builds of an application.

# A JDK image: the toolchain is downloaded, then smoke-tested with `--version`.
FROM debian:12-slim AS jdk
RUN set -eux; \
    mkdir -p /opt/java; \
    tar -xzf /tmp/jdk.tar.gz -C /opt/java --strip-components 1; \
    javac --version; \
    java -version
CMD ["jshell"]

# An interpreter built from source, installed, and its source tree removed in the same RUN.
FROM buildpack-deps:bookworm AS interpreter
RUN set -eux; \
    mkdir -p /usr/src/lang; \
    tar -xJf /tmp/lang.tar.xz -C /usr/src/lang --strip-components=1; \
    cd /usr/src/lang; \
    ./configure --enable-shared; \
    make -j "$(nproc)"; \
    make install; \
    cd /; \
    rm -rf /usr/src/lang; \
    lang --version
CMD ["lang"]

# An SDK variant: the SDK image plus native toolchain packages, no application.
FROM mcr.microsoft.com/dotnet/sdk:9.0-alpine
RUN apk add --upgrade --no-cache build-base clang zlib-dev
