# A stage built on this one installs from its lists: they cannot be removed where they are made.
FROM debian:12 AS tools
RUN apt-get update
# ^ cache-in-layer
FROM tools AS builder
RUN apt-get install -y --no-install-recommends gcc
FROM tools
CMD ["bash"]
