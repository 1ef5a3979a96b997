# CRLF line endings and tabs: columns still land on the expansion.
FROM debian:12
RUN true \
	&& cp	$HOME/a /tmp/
# ^ shellcheck
