FROM fedora:40
RUN dnf install -y curl-8.6.0 'python3 >= 3.12' @development-tools @nodejs:20
RUN dnf install -y curl-devel
# ^ unpinned-package-version
RUN microdnf install -y gzip
# ^ unpinned-package-version
RUN tdnf install -y ca-certificates
# ^ unpinned-package-version
RUN dnf install -y /tmp/local.rpm https://example.com/x.rpm $PACKAGES
RUN dnf upgrade -y curl && dnf remove -y curl && dnf group install -y "Development Tools"
RUN yum install -y epel-release-7 && yum -y install make
# ^ unpinned-package-version
RUN yum localinstall -y ./x.rpm && yum groupinstall -y "Dev"
RUN zypper install -y curl=8.6 "vim>=9" ./local.rpm
RUN zypper --non-interactive in git
# ^ unpinned-package-version
RUN zypper install -n -t pattern devel_basis
# ^ unpinned-package-version
