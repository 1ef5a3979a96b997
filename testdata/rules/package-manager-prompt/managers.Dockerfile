FROM fedora:40
RUN dnf install curl
# ^ package-manager-prompt
RUN dnf -y install curl && dnf --assumeyes install git && dnf install -y make && dnf makecache
RUN dnf group install "Development Tools"
# ^ package-manager-prompt
RUN dnf upgrade
# ^ package-manager-prompt
RUN yum install -y epel-release && yum clean all
RUN yum -q localinstall ./x.rpm
# ^ package-manager-prompt
RUN yum remove curl
# ^ package-manager-prompt
RUN microdnf install gzip && tdnf -y install ca-certificates
RUN dnf5 install nodejs
# ^ package-manager-prompt
RUN zypper install git
# ^ package-manager-prompt
RUN zypper --non-interactive install git && zypper -n in vim && zypper install --no-confirm make && zypper in -y gcc
RUN zypper refresh && zypper clean --all
RUN sudo zypper rm vim
# ^ package-manager-prompt
ONBUILD RUN yum install make
# ^ package-manager-prompt
