FROM fedora:40
RUN dnf install -y gcc
RUN echo cleaning && dnf clean all
# ^ cleanup-in-later-layer
