FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
RUN gcc -o /demo /main.c

# The C library and its loader are copied in.
FROM scratch
COPY --from=build /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/
COPY --from=build /lib64/ld-linux-x86-64.so.2 /lib64/
COPY --from=build /demo /demo
ENTRYPOINT ["/demo"]
