FROM rust:1.79-bookworm AS gnu
WORKDIR /app
COPY . .
RUN cargo build --release
RUN cargo install --root /out --path .

FROM rust:1.79-bookworm AS musl
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /app
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl

FROM rust:1.79-alpine AS alpine
WORKDIR /app
COPY . .
RUN cargo build --release

FROM rust:1.79-bookworm AS crt-static
ENV RUSTFLAGS="-C target-feature=+crt-static"
ENV CARGO_TARGET_DIR=/build
WORKDIR /app
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-gnu

FROM gcr.io/distroless/base-debian12
COPY --from=gnu /app/target/release/demo /demo
# ^ dynamic-binary-on-scratch
COPY --from=gnu /app/target/release/deps /deps
COPY --from=gnu /out/bin/demo /demo-installed
# ^ dynamic-binary-on-scratch
COPY --from=musl /app/target/x86_64-unknown-linux-musl/release/demo /demo-musl
COPY --from=alpine /app/target/release/demo /demo-alpine
COPY --from=crt-static /build/x86_64-unknown-linux-gnu/release/demo /demo-static
ENTRYPOINT ["/demo"]
