# A smoke test does not hide a real build in the same stage.
FROM gcc:14
# ^ single-stage-build
WORKDIR /src
COPY . .
RUN gcc --version && gcc -O2 -o /usr/local/bin/hello hello.c
CMD ["/usr/local/bin/hello"]
