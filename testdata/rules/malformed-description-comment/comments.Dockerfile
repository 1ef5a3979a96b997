# syntax=docker/dockerfile:1
# escape=\
FROM alpine:3.20 AS directives-are-not-comments
# a note about the next stage

FROM alpine:3.20 AS base
# ^ malformed-description-comment
# a note that is not a description
#
FROM alpine:3.20 AS separated
# Named with another case
FROM alpine:3.20 AS Named
# ^ malformed-description-comment
  # indented indented
FROM alpine:3.20 AS indented
# ^ malformed-description-comment
# tabbed	after the name
FROM alpine:3.20 AS tabbed
# ^ malformed-description-comment
#last a description without a space
# an earlier note
# last is the stage that is described
FROM alpine:3.20 AS last
# first is what the first comment says
# only the last comment counts
FROM alpine:3.20 AS first
# ^ malformed-description-comment
# unnamed stages have no description
FROM alpine:3.20
# VERSION is one of the two
ARG NAME VERSION=1
# neither of them
ARG NAME VERSION
# ^ malformed-description-comment
RUN echo \
# ARG-less comment inside a continuation
    done
ARG AFTER_RUN
# TRIGGER of a trigger
ONBUILD ARG OTHER
