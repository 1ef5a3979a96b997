# The lists of an update-only RUN are read by later installs: the finding and the cleanup
# belong to the last RUN that uses them.
FROM debian:12
RUN apt-get update
RUN apt-get install -y --no-install-recommends ca-certificates
RUN ls /var/lib/apt/lists
RUN apt-get install -y --no-install-recommends curl
# ^ cache-in-layer
# Updated again before the next install: each RUN is judged on its own.
RUN apt-get update && apt-get install -y --no-install-recommends jq
# ^ cache-in-layer
RUN apt-get update && apt-get install -y --no-install-recommends vim && rm -rf /var/lib/apt/lists/*
