FROM alpine:3.20 as build
# ^ mismatched-as-casing
RUN echo hi
