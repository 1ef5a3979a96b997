FROM debian:bookworm
RUN printf 'APT::Install-Recommends "true";\n' > /etc/apt/apt.conf.d/99recommends
RUN apt-get update && apt-get install -y jq
#                     ^ apt-get-with-recommends
ONBUILD RUN apt-get install -y make
#           ^ apt-get-with-recommends
RUN <<EOF
set -e
apt-get update
apt-get install -y ca-certificates
# ^ apt-get-with-recommends
EOF
RUN <<EOF bash
apt-get install -y \
  --no-install-recommends less
EOF
