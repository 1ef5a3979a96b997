# Removed by the RUN that reads them: the earlier layer keeps them anyway.
FROM debian:12
RUN apt-get update
# ^ cache-in-layer
RUN apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
