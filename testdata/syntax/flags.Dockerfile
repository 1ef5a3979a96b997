FROM --platform=$BUILDPLATFORM golang:1.22 AS build
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=secret,id=token,required=true \
    --network=host go build ./...
COPY --chown="app user":grp --chmod=0755 --link a /b
COPY --exclude=*.md --parents src/ /dst/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.tar.gz /
RUN -- --not-a-flag
HEALTHCHECK --start-period=5s --start-interval=1s --retries=3 CMD wget -q localhost
