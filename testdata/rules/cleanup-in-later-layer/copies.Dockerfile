# A builder stage's layers are not shipped: what it removes late costs nothing.
FROM alpine:3.20 AS fetch
RUN wget -O /big.bin https://example.com/big.bin
RUN echo cleaning && rm -f /big.bin && wget -O /big.bin https://example.com/big.bin
FROM alpine:3.20
WORKDIR /build
# Relative COPY destinations resolve against WORKDIR.
COPY tool.tar.gz ./
RUN tar -xzf tool.tar.gz -C /usr/local/bin && rm /build/tool.tar.gz
# ^ cleanup-in-later-layer
# A directory's files: `rm -rf dir` and `rm dir/*` remove them.
COPY scripts/ /tmp/scripts/
RUN sh /tmp/scripts/install.sh
RUN rm -rf /tmp/scripts/*
# ^ cleanup-in-later-layer
# Whether `tests` came with the build context is not known: not reported.
COPY . /app
RUN rm -rf /app/tests
# An ADD of a local archive extracts it; the directory it holds is named after it.
ADD vendor/node-v20.1.0-linux-x64.tar.xz /opt/
RUN cp -r /opt/node-v20.1.0-linux-x64/bin/* /usr/local/bin/ && rm -rf /opt/node-v20.1.0-linux-x64
# ^ cleanup-in-later-layer
# An ADD of a URL downloads the file.
ADD https://example.com/releases/agent-1.2.jar /opt/agent/
RUN java -jar /opt/agent/agent-1.2.jar --install \
 && rm -f /opt/agent/agent-1.2.jar
# ^ cleanup-in-later-layer
# A heredoc COPY writes its destination.
COPY <<EOF /etc/profile.d/build.sh
export BUILD=1
EOF
RUN rm /etc/profile.d/build.sh
# ^ cleanup-in-later-layer
# COPY --from is a layer too.
COPY --from=fetch /big.bin /tmp/big.bin
RUN cat /tmp/big.bin > /dev/null; rm /tmp/big.bin
# ^ cleanup-in-later-layer
