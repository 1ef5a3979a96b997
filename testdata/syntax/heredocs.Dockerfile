# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
set -e
echo one
EOF
RUN <<-EOT sh
	echo tabs stripped
	EOT
COPY <<'FILE1' <<"FILE2" /etc/
$NOT_EXPANDED
FILE1
second
FILE2
RUN cat <<A && cat 3<<B
a
A
b
B
RUN python3 <<PY
print('hi')
PY
RUN echo '<<NOT' "<<NOPE" x<<y
RUN ["sh", "-c", "cat <<EOF"]
ONBUILD RUN <<EOF
echo later
EOF
