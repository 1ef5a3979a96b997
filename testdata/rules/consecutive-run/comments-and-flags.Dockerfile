FROM alpine:3.20
RUN echo 1
RUN echo 2
# ^ consecutive-run
# a comment does not separate them, but keeps the fix away
RUN echo 3
# ^ consecutive-run

RUN echo 4
# ^ consecutive-run
RUN --mount=type=cache,target=/root/.cache echo 5
RUN --mount=type=cache,target=/root/.cache echo 6
# ^ consecutive-run
RUN --network=host echo 7
RUN --network=none echo 8
ENV A=1
RUN echo 9
RUN ["echo", "10"]
# ^ consecutive-run
RUN echo 11
# ^ consecutive-run
