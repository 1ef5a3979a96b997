FROM debian:12-slim
# A package of the base image is not an earlier install.
RUN apt-get purge -y --auto-remove tzdata
# Lists written in one RUN and removed in a later one (cache-in-layer reports the first RUN).
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
RUN rm -rf /var/lib/apt/lists/* && make -C /src \
# ^ cleanup-in-later-layer
 && apt-get purge -y build-essential
# ^ cleanup-in-later-layer
# Lists read by a later install before they are removed: cache-in-layer's finding only.
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
# With the docker-clean hook of Debian's images, `apt-get install` keeps no archives.
RUN apt-get clean
# Once the hook is removed, a later install keeps them.
RUN rm /etc/apt/apt.conf.d/docker-clean
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
RUN echo cleaning && apt-get clean
# ^ cleanup-in-later-layer
