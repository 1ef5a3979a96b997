FROM alpine:3.20 AS base
COPY secrets/api.key /etc/api.key
# ^ copy-ignored-file
COPY /build ./build
# ^ copy-ignored-file
COPY app/debug.log keep.log src/ /app/
# ^ copy-ignored-file
COPY ["node_modules/x", "/app/node_modules/x"]
# ^ copy-ignored-file
COPY docs/guide.md docs/README.md docs/sub/guide.md /docs/
# ^ copy-ignored-file
COPY tmp /tmp/
# ^ copy-ignored-file
COPY tmp/keep /keep
ADD a.txt c.txt /txt/
# ^ copy-ignored-file
ARG DIR=secrets
COPY ${DIR}/token $UNKNOWN/x /x/
# ^ copy-ignored-file
COPY --from=base /secrets /secrets
COPY *.log /logs/
ADD https://example.com/build /remote
ADD git@github.com:acme/secrets.git /repo
COPY . /app
COPY ../secrets /escape
# ^ copy-ignored-file
COPY <<secrets /inline
text
secrets
ONBUILD COPY secrets /secrets
