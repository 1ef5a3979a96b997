# The text is kept as MAINTAINER had it: quotes, `$` and the escape character are escaped.
FROM alpine:3.20 AS base
maintainer "The Team" <team@example.com> $NOT_A_VARIABLE \o/
# ^ maintainer-deprecated
# A stage that already sets the label gets no fix: the new label would override it.
FROM base
MAINTAINER Jane Doe
# ^ maintainer-deprecated
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
