FROM debian:12-slim
# Downloads in one RUN, removed in a later one.
RUN curl -fsSL -o /tmp/a.tgz https://example.com/a.tgz && echo fetched
RUN cd /tmp && curl -fsSLO https://example.com/b.tgz && echo fetched
RUN wget -q -P /opt/dl https://example.com/c.zip https://example.com/d.zip && echo fetched
RUN echo cleaning && rm -f /tmp/a.tgz /tmp/b.tgz
# ^ cleanup-in-later-layer
RUN echo cleaning && rm -rf /opt/dl
# ^ cleanup-in-later-layer
# `wget -O -` writes to standard output: nothing is left.
RUN wget -qO- https://example.com/e.tgz | tar -xz -C /usr/local
RUN echo cleaning && rm -f /usr/local/e.tgz
# A clone, and what `tar` extracts (the directory named after the archive, or everything).
RUN git clone --depth 1 -b v1 https://github.com/example/tool.git /src/tool && echo cloned
RUN cd /src && tar -xf /dev/null && tar -xzf /opt/libfoo-1.2.tar.gz && unzip -q /opt/x.zip -d /srv/x
RUN make -C /src/tool install && rm -rf /src/tool
# ^ cleanup-in-later-layer
RUN echo cleaning && rm -rf /src/libfoo-1.2
# ^ cleanup-in-later-layer
RUN echo cleaning && rm -rf /srv/x/*
# ^ cleanup-in-later-layer
# Something else in `/src` may not come from the tarball: not reported.
RUN echo cleaning && rm -rf /src/docs
