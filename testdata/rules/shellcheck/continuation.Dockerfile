# Findings land on the physical line and column, across continuations and the comment lines
# BuildKit drops from inside them.
FROM debian:12
RUN apt-get update && \
    cp $HOME/a /tmp/ && \
# ^ shellcheck
    echo "done" \
    && grep -q x /etc/hosts; if [ $? -ne 0 ]; then echo no; fi
# ^ shellcheck
RUN echo "clean" && \
    true
