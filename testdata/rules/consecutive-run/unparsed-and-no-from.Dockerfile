RUN echo template
RUN echo "no FROM yet"
# ^ consecutive-run
FROM alpine:3.20
RUN echo a
RUN echo ( b && c
# ^ consecutive-run
RUN echo d
# ^ consecutive-run
