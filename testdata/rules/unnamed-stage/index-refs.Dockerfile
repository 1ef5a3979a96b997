FROM alpine:3.20
RUN echo one > /one
FROM alpine:3.20 AS two
COPY --from=0 /one /one
# ^ unnamed-stage
RUN --mount=from=0,source=/one,target=/mnt cat /mnt
# ^ unnamed-stage
FROM two
COPY --from=1 /one /x
# ^ unnamed-stage
COPY --from=two /one /y
