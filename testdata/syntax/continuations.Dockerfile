FROM debian:12
RUN set -eux; \
# a comment inside a continuation
    apt-get update; \

    [ -d /x ] || mkdir /x; \
  # indented comment
    echo done
ENV A=1 \
    B=2
LABEL a=b \
\
  c=d
RUN echo a\\
RUN echo b\\\
RUN echo c \   
  d
RUN echo trailing \
