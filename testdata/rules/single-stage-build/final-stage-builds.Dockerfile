# The last stage of a multi-stage file can still be the build.
FROM node:22 AS assets
WORKDIR /web
COPY web/ .
RUN npm ci && npm run build

FROM rust:1.80-bookworm
# ^ single-stage-build
WORKDIR /usr/src/app
COPY . .
COPY --from=assets /web/dist ./static
RUN cargo build --release --bin server
CMD ["./target/release/server"]
