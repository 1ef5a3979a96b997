FROM gcc:13 AS build
WORKDIR /src
COPY . .
RUN gcc -O2 -o hello hello.c \
 && gcc -static -o hello-static hello.c \
 && g++ -O2 -o server server.cpp \
 && g++ -static-libstdc++ -static-libgcc -o server-libs server.cpp

# busybox's default variant has glibc, but not libstdc++ or libgcc_s.
FROM busybox:1.36
COPY --from=build /src/hello /bin/hello
COPY --from=build /src/hello-static /bin/hello-static
COPY --from=build /src/server /bin/server
# ^ dynamic-binary-on-scratch
COPY --from=build /src/server-libs /bin/server-libs
CMD ["server"]
