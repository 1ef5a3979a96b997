FROM debian:bookworm
RUN apt-get update && apt-get install -y curl
#                     ^ apt-get-with-recommends
RUN sudo apt-get -qq install git
#   ^ apt-get-with-recommends
RUN apt-get install -y --no-install-recommends curl
RUN apt-get install -y -o APT::Install-Recommends=0 curl
RUN apt-get install -y --option=APT::Install-Recommends=false curl
RUN apt-get install -y --install-recommends texlive
RUN apt-get install -y ./vendor.deb
#   ^ apt-get-with-recommends
RUN apt-get install -y $PACKAGES
#   ^ apt-get-with-recommends
RUN ["apt-get", "install", "-y", "jq"]
#   ^ apt-get-with-recommends
RUN apt-get remove -y curl && apt-get -y reinstall curl && aptitude install -y vim
