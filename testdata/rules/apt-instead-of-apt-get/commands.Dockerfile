FROM debian:bookworm
RUN apt update \
#   ^ apt-instead-of-apt-get
 && apt install -y --no-install-recommends curl
#   ^ apt-instead-of-apt-get
RUN sudo apt remove -y curl \
#   ^ apt-instead-of-apt-get
 && /usr/bin/apt autoremove -y
#   ^ apt-instead-of-apt-get
RUN apt search curl; \
#   ^ apt-instead-of-apt-get
    apt show curl; \
#   ^ apt-instead-of-apt-get
    apt policy curl
#   ^ apt-instead-of-apt-get
RUN apt list --installed
#   ^ apt-instead-of-apt-get
RUN apt upgrade -y \
#   ^ apt-instead-of-apt-get
 && apt full-upgrade -y
#   ^ apt-instead-of-apt-get
RUN ["apt", "update"]
#   ^ apt-instead-of-apt-get
ONBUILD RUN apt clean
#           ^ apt-instead-of-apt-get
RUN apt-get update && apt-cache show curl && aptitude search vim
RUN <<EOF
apt update
# ^ apt-instead-of-apt-get
EOF
