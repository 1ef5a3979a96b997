FROM debian:bookworm AS build
RUN apt-get update && apt-get install --no-install-recommends curl
#                     ^ apt-get-without-yes
RUN DEBIAN_FRONTEND=noninteractive apt-get install git
#   ^ apt-get-without-yes
RUN sudo apt-get install git
#   ^ apt-get-without-yes
RUN ["apt-get", "install", "jq"]
#   ^ apt-get-without-yes
RUN apt install make
#   ^ apt-get-without-yes
ONBUILD RUN apt-get install vim
#           ^ apt-get-without-yes
RUN apt-get -y install a && apt-get --yes install b && apt-get install --assume-yes c
RUN apt-get -qq install a && apt-get -q -q install b && apt-get -qy install c && apt-get -q=2 install d
RUN apt-get -o APT::Get::Assume-Yes=true install a
RUN apt-get install $APT_OPTS a
RUN apt-get update && apt-get upgrade && apt-get remove -y x
RUN <<EOF
apt-get install less
# ^ apt-get-without-yes
EOF
