# A builder stage's layers do not ship: its late cleanups cost the final image nothing.
FROM golang:1.22 AS build
RUN git clone https://github.com/example/app.git /src/app
RUN cd /src/app && go build -o /out/app . && rm -rf /src/app

# A stage built on another removes what the other wrote: still a later layer.
FROM debian:12-slim AS base
RUN wget -O /opt/seed.db https://example.com/seed.db && echo fetched
FROM base AS runtime
COPY --from=build /out/app /usr/local/bin/app
RUN /usr/local/bin/app migrate /opt/seed.db && rm /opt/seed.db
# ^ cleanup-in-later-layer
# What a RUN writes under a cache or tmpfs mount never reaches its layer.
RUN --mount=type=tmpfs,target=/var/tmp wget -O /var/tmp/big.iso https://example.com/big.iso && echo done
RUN echo cleaning && rm -f /var/tmp/big.iso
# A removal under a mount removes the mount's files, not the layer's.
RUN wget -O /scratch/x.bin https://example.com/x.bin && echo fetched
RUN --mount=type=tmpfs,target=/scratch rm -f /scratch/x.bin
RUN echo cleaning && rm -f /scratch/x.bin
# ^ cleanup-in-later-layer
# ONBUILD triggers run in another build.
ONBUILD RUN rm -rf /opt
# Base-image files removed to change behaviour: nothing earlier wrote them.
RUN rm -f /etc/nginx/conf.d/default.conf /etc/apt/apt.conf.d/docker-clean && rm -rf /usr/share/doc/*
