FROM rust:1.79-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release

# Pinned by digest: the runtime image must be pinned too, no fix.
FROM rust:1.79-bookworm@sha256:0000000000000000000000000000000000000000000000000000000000000000
# ^ toolchain-final-stage
COPY --from=build /src/target/release/demo /usr/local/bin/demo
CMD ["/usr/local/bin/demo"]
