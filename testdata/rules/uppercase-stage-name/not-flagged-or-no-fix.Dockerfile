# The lowercase name is another stage's too: renaming would not make them two names.
FROM alpine:3.20 AS Base
# ^ uppercase-stage-name
FROM alpine:3.20 AS base
# Lowercase names, and no name at all, are fine.
FROM alpine:3.20 AS runtime-1.0_x
FROM alpine:3.20
# A name BuildKit refuses (it must start with a letter) stops the build before this check.
FROM alpine:3.20 AS 1Stage
# A reserved name is still a name.
FROM alpine:3.20 AS Scratch
# ^ uppercase-stage-name
