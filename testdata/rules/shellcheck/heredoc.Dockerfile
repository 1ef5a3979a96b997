# A heredoc script is checked line by line; a heredoc that is data is not.
FROM debian:12
RUN <<EOF
set -e
for f in $(ls /etc); do
# ^ shellcheck
  echo "$f"
done
EOF
RUN cat <<EOF > /etc/motd
data $HOME `date`
EOF
RUN <<EOF
#!/bin/bash
[[ -d /opt ]] && echo "$HOME"
EOF
