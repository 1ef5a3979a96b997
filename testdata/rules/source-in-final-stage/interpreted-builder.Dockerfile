# A JavaScript build is not a compiled language's: the sources are what nginx serves anyway.
FROM node:22 AS web
WORKDIR /web
COPY . .
RUN npm ci && npm run build

FROM debian:bookworm-slim
COPY --from=web /web/dist /srv/www
COPY . /srv/src
CMD ["true"]
