FROM alpine:3.20
# ONBUILD triggers run the heredoc in the image built on this one.
ONBUILD RUN <<EOF
apk add --no-cache build-base
# ^ heredoc-without-errexit
make -C /src
EOF
# Flags before the heredoc.
RUN --mount=type=cache,target=/root/.cache <<EOF
pip install -r /src/requirements.txt
# ^ heredoc-without-errexit
python -m compileall /src
EOF
# `<<-` strips tabs: `set -e` is inserted with the script's indentation.
RUN <<-EOF
	cd /src
# ^ heredoc-without-errexit
	make
	EOF
# Two heredocs on one RUN: the first line is not a lone heredoc, the shell runs the line.
RUN <<ONE <<TWO
cd /src
make
ONE
cd /docs
make
TWO
