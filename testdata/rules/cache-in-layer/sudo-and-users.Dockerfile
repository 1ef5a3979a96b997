FROM debian:12
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update && apt-get install -y --no-install-recommends sudo
# ^ cache-in-layer
USER app
RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl
# ^ cache-in-layer
RUN sudo bash -c "apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*"
RUN sudo -E sh -c 'apt-get update && apt-get install -y --no-install-recommends git'
# ^ cache-in-layer
RUN su root -c "apt-get update && apt-get install -y --no-install-recommends make"
# ^ cache-in-layer
ARG USERNAME=node
RUN sudo -u ${USERNAME} npm install --global elm
# ^ cache-in-layer
