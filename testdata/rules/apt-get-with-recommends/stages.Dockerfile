FROM debian:bookworm AS build
# A builder stage's packages do not ship.
RUN apt-get update && apt-get install -y build-essential

FROM debian:bookworm AS base
RUN apt-get update && apt-get install -y ca-certificates
#                     ^ apt-get-with-recommends
RUN echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99norecommends
RUN apt-get update && apt-get install -y curl

FROM base AS app
RUN apt-get update && apt-get install -y jq
COPY --from=build /usr/bin/make /usr/bin/make
