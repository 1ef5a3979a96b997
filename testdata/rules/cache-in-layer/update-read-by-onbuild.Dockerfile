# An ONBUILD trigger installs in the images built from this one.
FROM debian:12
RUN apt-get update
# ^ cache-in-layer
ONBUILD RUN apt-get install -y --no-install-recommends git
