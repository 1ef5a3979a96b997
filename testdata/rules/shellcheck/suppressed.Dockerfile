# Suppressions act on exactly the code they name.
FROM debian:12
# hadolint ignore=SC2086
RUN echo $HOME
# dlint ignore=SC2046
RUN ls $(pwd)
# dlint ignore=SC2046
RUN echo $HOME
# ^ shellcheck
