FROM alpine:3.20
# hadolint ignore=DL3000
WORKDIR first
# hadolint ignore=DL3000
WORKDIR second
# dlint ignore=WorkdirRelativePath
WORKDIR third
# ^ relative-workdir
