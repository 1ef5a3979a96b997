# Where BuildKit expands variables, and where it leaves them to the shell.
FROM alpine:3.20
ENV PATH=/opt/bin:$PATH KEY_$K1=v
# ^ undefined-variable
LABEL "$K2"=v
# ^ undefined-variable
LABEL other=$V2
# ^ undefined-variable
ARG WITH_DEFAULT=$V3
# ^ undefined-variable
COPY $V4 /dst/
# ^ undefined-variable
ADD --chown=$V5 src /dst/
# ^ undefined-variable
COPY --chmod=$V6 src /dst/
# ^ undefined-variable
ADD --checksum=$V7 https://example.com/a.tgz /a.tgz
# ^ undefined-variable
COPY ["$V8", "/dst/"]
# ^ undefined-variable
RUN --mount=type=cache,target=$V9 true
# ^ undefined-variable
WORKDIR $V10
# ^ undefined-variable
USER $V11
# ^ undefined-variable
VOLUME ["$V12"]
# ^ undefined-variable
STOPSIGNAL $V13
# ^ undefined-variable
COPY <<EOF /etc/motd
Welcome to $V14
# ^ undefined-variable
EOF
COPY <<'EOF' /etc/quoted
$NOT_EXPANDED
EOF
RUN echo $SHELL_VAR
RUN <<EOF
echo $SHELL_HEREDOC
EOF
CMD echo $CMD_VAR
CMD ["echo", "$CMD_JSON"]
ENTRYPOINT ["/bin/sh", "-c", "$ENTRY"]
EXPOSE $PORT
HEALTHCHECK CMD wget -q http://localhost:$HC_PORT/
SHELL ["/bin/sh", "-c"]
COPY --from=$FROM_STAGE /a /b
RUN --mount=type=bind,from=$MOUNT_STAGE,target=/m true
ONBUILD COPY $TRIGGER /dst/
MAINTAINER $NOBODY
