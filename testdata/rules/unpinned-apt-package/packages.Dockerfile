FROM debian:bookworm
RUN apt-get update && apt-get install -y curl wget=1.21.3-1+b2
#                     ^ unpinned-apt-package
RUN apt-get install -y curl=7.88* jq/bookworm-backports ./vendor.deb /tmp/x.deb "less=${LESS_VERSION}"
RUN apt-get install -y $PACKAGES ${EXTRA}
RUN apt-get install -y -t bookworm-backports git
#   ^ unpinned-apt-package
RUN sudo apt-get install -y vim nano emacs
#   ^ unpinned-apt-package
RUN apt-get install -y libc6:amd64
#   ^ unpinned-apt-package
RUN apt install -y make
#   ^ unpinned-apt-package
RUN ["apt-get", "install", "-y", "gcc"]
#   ^ unpinned-apt-package
ONBUILD RUN apt-get install -y zip
#           ^ unpinned-apt-package
RUN apt-get remove -y curl && apt-get -y reinstall curl && aptitude install -y vim
RUN <<EOF
apt-get install -y unzip
# ^ unpinned-apt-package
EOF
RUN apt-get install -y 'python3-*' {{ .Packages }}
