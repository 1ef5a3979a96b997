FROM rust:1.79-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release

# CRLF line endings are kept by the fix.
FROM rust:1.79-slim-bookworm
# ^ toolchain-final-stage
COPY --from=build /src/target/release/demo /demo
ENTRYPOINT ["/demo"]
