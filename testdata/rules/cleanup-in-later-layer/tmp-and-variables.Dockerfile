# `rm -rf /tmp/*` only counts what earlier instructions are known to have put in `/tmp`.
FROM debian:12-slim
RUN echo nothing known && rm -rf /tmp/*
RUN cp /etc/hostname /tmp/hostname.bak && echo copied
RUN echo cleaning && rm -rf /tmp/*
# ^ cleanup-in-later-layer
# The same RUN writing and removing: fine; a later removal of what was already removed: fine.
RUN wget -O /tmp/x.deb https://example.com/x.deb && dpkg -i /tmp/x.deb && rm /tmp/x.deb
RUN echo cleaning && rm -f /tmp/x.deb
RUN curl -o /tmp/y https://example.com/y && echo fetched
RUN echo cleaning && rm -f /tmp/y
# ^ cleanup-in-later-layer
RUN echo cleaning && rm -f /tmp/y
# Variables the Dockerfile sets are followed; unknown ones are not guessed.
ENV DL=/var/dl
RUN mkdir -p $DL && wget -O "$DL/z.tgz" https://example.com/z.tgz && echo fetched
RUN echo cleaning && rm -rf "${DL}/z.tgz" "$UNKNOWN"
# ^ cleanup-in-later-layer
