FROM gcc:13 AS build
WORKDIR /src
COPY . .
RUN gcc -O2 -o hello hello.c \
 && gcc -c -o lib.o lib.c \
 && clang -o tool tool.c
RUN gcc $CFLAGS -o flags flags.c
RUN ["gcc", "-o", "/src/exec", "exec.c"]

# The musl and uclibc variants are a static busybox and nothing else.
FROM busybox:1.36-musl
COPY --from=build /src/hello /bin/hello
# ^ dynamic-binary-on-scratch
COPY --from=build /src/lib.o /lib.o
COPY --from=build /src/tool /bin/tool
# ^ dynamic-binary-on-scratch
COPY --from=build /src/flags /bin/flags
COPY --from=build /src/exec /bin/exec
# ^ dynamic-binary-on-scratch
CMD ["hello"]
