FROM busybox:1.36 AS bb
FROM scratch
COPY --from=bb /bin /bin
RUN echo ok
CMD echo ok
FROM scratch
SHELL ["/busybox/sh", "-c"]
COPY --from=bb /bin/busybox /busybox/sh
CMD echo ok
FROM cgr.dev/chainguard/static
SHELL ["/busybox/sh", "-c"]
CMD echo no busybox here
# ^ shell-form-on-scratch
FROM debian:12
CMD echo fine
