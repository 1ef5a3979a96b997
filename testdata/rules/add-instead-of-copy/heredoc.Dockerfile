# syntax=docker/dockerfile:1
FROM alpine:3.20
ADD <<EOF /etc/motd
# ^ add-instead-of-copy
hello
EOF
ADD <<EOF https://example.com/x /opt/
# ^ add-instead-of-copy
hi
EOF
