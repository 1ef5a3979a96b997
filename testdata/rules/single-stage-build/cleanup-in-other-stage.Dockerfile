FROM gcc:13
# ^ single-stage-build
COPY hello.c /src/
RUN gcc -o /usr/local/bin/hello /src/hello.c
RUN apt-get update && apt-get purge -y --auto-remove make
CMD ["hello"]
