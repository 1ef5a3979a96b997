FROM debian:12-slim
# Moved to the end of the RUN that wrote it, in that RUN's style; taken out of its chain with
# the `&&` or `;` that joined it.
RUN curl -fsSL -o /tmp/a.tgz https://example.com/a.tgz && tar -xzf /tmp/a.tgz -C /opt
RUN echo one && rm -f /tmp/a.tgz && echo two
# ^ cleanup-in-later-layer
RUN set -eux; \
    wget -O /tmp/b.tgz https://example.com/b.tgz; \
    tar -xzf /tmp/b.tgz -C /opt
RUN rm -f /tmp/b.tgz; echo done
# ^ cleanup-in-later-layer
RUN <<EOF
set -e
wget -O /tmp/c.tgz https://example.com/c.tgz
tar -xzf /tmp/c.tgz -C /opt
EOF
RUN <<EOF
set -e
echo cleaning
rm -f /tmp/c.tgz
# ^ cleanup-in-later-layer
echo done
EOF
# `sudo` comes along.
USER app
RUN sudo wget -O /tmp/d.tgz https://example.com/d.tgz && sudo tar -xzf /tmp/d.tgz -C /opt
RUN echo cleaning \
 && sudo rm -f /tmp/d.tgz
# ^ cleanup-in-later-layer
USER root
# No fix: the cleanup is the RUN's only command (removing an instruction is not a fix).
RUN wget -O /tmp/e.tgz https://example.com/e.tgz && tar -xzf /tmp/e.tgz -C /opt
RUN rm -f /tmp/e.tgz
# ^ cleanup-in-later-layer
# No fix: something in between uses it.
RUN wget -O /tmp/f.tgz https://example.com/f.tgz
RUN tar -xzf /tmp/f.tgz -C /opt
RUN echo cleaning && rm -f /tmp/f.tgz
# ^ cleanup-in-later-layer
# No fix: a script in between may use it.
RUN wget -O /tmp/g.tgz https://example.com/g.tgz && tar -xzf /tmp/g.tgz -C /opt
RUN ./configure && make
RUN echo cleaning && rm -f /tmp/g.tgz
# ^ cleanup-in-later-layer
# No fix: after `||`, inside an `if`, or given relative to another directory.
RUN wget -O /tmp/h.tgz https://example.com/h.tgz && tar -xzf /tmp/h.tgz -C /opt
RUN test -d /opt/h || rm -f /tmp/h.tgz
# ^ cleanup-in-later-layer
RUN wget -O /tmp/i.tgz https://example.com/i.tgz && tar -xzf /tmp/i.tgz -C /opt
RUN if [ -f /tmp/i.tgz ]; then rm -f /tmp/i.tgz; fi && echo done
# ^ cleanup-in-later-layer
RUN cd /tmp && wget https://example.com/j.tgz && tar -xzf j.tgz -C /opt && cd /
WORKDIR /tmp
RUN echo cleaning && rm -f j.tgz
# ^ cleanup-in-later-layer
# No fix: another USER.
RUN wget -O /tmp/k.tgz https://example.com/k.tgz && tar -xzf /tmp/k.tgz -C /opt
USER app
RUN echo cleaning && rm -f /tmp/k.tgz
# ^ cleanup-in-later-layer
