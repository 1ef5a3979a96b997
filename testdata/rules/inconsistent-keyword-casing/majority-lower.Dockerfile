# Four lowercase keywords against two uppercase ones (the mixed `Env` counts for neither).
# The ARG before the first FROM belongs to no stage: BuildKit neither counts nor checks it.
ARG VERSION=3.20
from alpine:${VERSION} AS base
run apk add --no-cache curl
Env A=1
# ^ inconsistent-keyword-casing
COPY app.sh /app.sh
# ^ inconsistent-keyword-casing
workdir /app
# ONBUILD is counted and checked; the instruction it carries is not.
ONBUILD RUN echo triggered
# ^ inconsistent-keyword-casing
entrypoint ["/app.sh"]
