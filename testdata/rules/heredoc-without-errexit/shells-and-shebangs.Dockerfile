# The stage's SHELL runs a heredoc without a shebang: `-e` there is enough.
FROM debian:12-slim AS strict
SHELL ["/bin/bash", "-euxo", "pipefail", "-c"]
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends make
EOF
# `-o pipefail` alone is not errexit.
FROM debian:12-slim AS pipefail
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN <<EOF
apt-get update
# ^ heredoc-without-errexit
apt-get install -y --no-install-recommends make
EOF
# A shebang with `-e`, also through `env -S`.
FROM debian:12-slim AS shebangs
RUN <<EOF
#!/bin/sh -e
cd /src
make
EOF
RUN <<EOF
#!/usr/bin/env -S bash -e
cd /src
make
EOF
RUN <<EOF
#!/usr/bin/env bash
cd /src
# ^ heredoc-without-errexit
make
EOF
# Another interpreter: not a shell script.
RUN <<EOF
#!/usr/bin/env python3
import os
os.makedirs("/x")
print("done")
EOF
# A shell fed the heredoc: its own options count, not the SHELL's.
FROM debian:12-slim AS fed
SHELL ["/bin/bash", "-e", "-c"]
RUN bash <<EOF
cd /src
# ^ heredoc-without-errexit
make
EOF
RUN <<EOF sudo sh -ex
cd /src
make
EOF
RUN bash -s <<'EOF'
cd /src
# ^ heredoc-without-errexit
make
EOF
# Data for another program, a script file or a `-c` string: not this heredoc's script.
RUN <<EOF cat > /usr/local/bin/run
cd /src
make
EOF
RUN bash /opt/setup.sh <<EOF
yes
no
EOF
RUN python3 <<EOF
import os
print(os.getcwd())
EOF
COPY <<EOF /etc/app.conf
a=1
b=2
EOF
