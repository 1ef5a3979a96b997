#syntax = docker/dockerfile:1.7
# CHECK = skip=all
from alpine:3.20 as Base
run echo lower
Copy --FROM=base /etc/os-release /x
onbuild copy . /src
HealthCheck --interval=10s cmd ["true"]
healthcheck none
