FROM fedora:40
RUN ["dnf", "install", "curl"]
# ^ package-manager-prompt
RUN set -e \
    && dnf install curl \
# ^ package-manager-prompt
    && dnf clean all
