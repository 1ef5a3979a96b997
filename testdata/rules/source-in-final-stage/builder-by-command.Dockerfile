# The builder is a plain Debian image; its `g++` run makes it a compiled project.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends g++
WORKDIR /src
COPY . .
RUN g++ -O2 -o /out/server server.cpp

FROM debian:bookworm-slim AS runtime
COPY . /opt/app
# ^ source-in-final-stage

# The final stage is built on `runtime`: what `runtime` copies ships.
FROM runtime
COPY --from=build /out/server /usr/local/bin/server
CMD ["server"]
