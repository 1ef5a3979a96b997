FROM debian:bookworm
# ^ single-stage-build
RUN apt-get update && apt-get install -y gcc libc6-dev libfoo-dev
COPY main.c /src/
RUN gcc -o /usr/local/bin/app /src/main.c -lfoo
CMD ["app"]
