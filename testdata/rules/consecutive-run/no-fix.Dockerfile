FROM alpine:3.20
RUN cd /tmp
RUN make
# ^ consecutive-run
ENV B=2
RUN export A=1
RUN echo "$A"
# ^ consecutive-run
ENV B=3
RUN echo 1 &
RUN echo 2
# ^ consecutive-run
ENV B=4
RUN echo 3 # trailing comment
RUN echo 4
# ^ consecutive-run
ENV B=5
RUN echo 5 \
  # a comment line inside the RUN
  -n
RUN echo 6
# ^ consecutive-run
