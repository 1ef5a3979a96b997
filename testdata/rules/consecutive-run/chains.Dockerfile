FROM alpine:3.20
RUN echo 1 && echo 2
RUN echo 3
RUN echo 4; echo 5
RUN echo 6 | cat
RUN echo "$(date)"
RUN if true; then echo 7; fi
RUN sh -c 'echo 8 && echo 9'
RUN sh -c 'echo 10 && echo 11'
# ^ consecutive-run
RUN { echo 12; }
# ^ consecutive-run
RUN export A=1; ./run.sh; unset A
