FROM alpine:3.20
RUN <<EOF
cd /src
# ^ heredoc-without-errexit
make
EOF
