FROM rust:1.79-bookworm AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
WORKDIR /app
COPY --from=build /app/target/release/demo /usr/local/bin/demo
COPY ./ /app/
#    ^ source-in-final-stage
CMD ["demo"]
