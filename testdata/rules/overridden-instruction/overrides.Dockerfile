FROM alpine:3.20 AS base
CMD ["echo", "one"]
# ^ overridden-instruction

CMD echo two
# ^ overridden-instruction

ENTRYPOINT ["/bin/sh", "-c"]
# ^ overridden-instruction

HEALTHCHECK --interval=5s CMD wget -q -O- http://localhost/ || exit 1
# ^ overridden-instruction
ENTRYPOINT ["/entrypoint.sh"]
# The CMD of a HEALTHCHECK is not the image's CMD.
HEALTHCHECK NONE
CMD ["serve"]

# Each stage has its own: a stage built on this one may set them again.
FROM base
CMD ["other"]
# Triggers run in the build that uses this image: they are not this stage's.
ONBUILD CMD ["triggered"]
ONBUILD ENTRYPOINT ["triggered"]
