# check=skip=WorkdirRelativePath
FROM alpine:3.20
WORKDIR app
WORKDIR src
# ^ relative-workdir
