FROM alpine:3.20
# One command, an `&&` chain, or builtins before the last command: nothing is passed over.
RUN <<EOF
apk add --no-cache curl
EOF
RUN <<EOF
apk add --no-cache curl \
  && curl -fsSL https://example.com/x -o /usr/local/bin/x \
  && chmod +x /usr/local/bin/x
EOF
RUN <<EOF
echo "building"
export CGO_ENABLED=0
VERSION=1.2
set -x
make
EOF
# Tested commands and `|| true` are handled.
RUN <<EOF
if ! id app; then echo "no user app"; fi
make check || true
! grep -q debug /etc/app.conf
make install
EOF
# What an `if` or `||` runs is not tested: if `adduser` fails, the `if` fails, unseen.
RUN <<EOF
if ! id app; then
  adduser -D app
# ^ heredoc-without-errexit
fi
make install
EOF
# `set +e` leaves failures alone on purpose.
RUN <<EOF
set +e
rm /tmp/lock
make
EOF
# An `exit 0` at the end hides every failure before it.
RUN <<EOF
apk add --no-cache curl
# ^ heredoc-without-errexit
curl -fsSL https://example.com/x -o /x
exit 0
EOF
# A command substitution assigned to a variable can fail.
RUN <<EOF
VERSION=$(cat /src/VERSION)
# ^ heredoc-without-errexit
make VERSION="$VERSION"
EOF
# Inside an `if` branch the earlier commands are passed over too.
RUN <<EOF
if [ -d /src ]; then
  cd /src
# ^ heredoc-without-errexit
  make
fi
EOF
# A loop body.
RUN <<EOF
for f in /tmp/*.apk; do
  apk add --allow-untrusted "$f"
# ^ heredoc-without-errexit
  rm "$f"
done
EOF
# A function body runs where it is called.
RUN <<EOF
build() {
  cd "$1"
  make
}
build /src
EOF
