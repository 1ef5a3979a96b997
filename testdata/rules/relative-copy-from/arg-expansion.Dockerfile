ARG APP=/app
FROM alpine:3.20 AS build
ARG APP
WORKDIR $APP
RUN touch out
FROM alpine:3.20
ARG REL=out
COPY --from=build $APP/out /out
COPY --from=build ${REL} /out2
# ^ relative-copy-from
