FROM node:22 AS web
WORKDIR /app
RUN npm ci && npm run build

FROM golang:1.22 AS api
RUN go build -o /bin/api .

FROM scratch AS root-stage
COPY --from=web /app/dist /dist

FROM nginx:1.27
COPY --from=web dist /usr/share/nginx/html
# ^ relative-copy-from
COPY --from=web ./dist/index.html /x
# ^ relative-copy-from
COPY --from=api bin/api /api
# ^ relative-copy-from
COPY --from=root-stage dist /srv
COPY --from=web /app/dist /ok
COPY --from=web $UNKNOWN/x /y
# busybox sets no WORKDIR: its builds run in `/`, so `bin/busybox` is `/bin/busybox`.
COPY --from=busybox:1.36 bin/busybox /bin/
COPY --from=web ["dist", "/z"]
# ^ relative-copy-from
ADD --chown=1 a /a
