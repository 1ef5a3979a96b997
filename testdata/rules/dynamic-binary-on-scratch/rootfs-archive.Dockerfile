FROM golang:1.22 AS build
RUN go build -o /demo .

# A root file system from an archive brings its own libraries.
FROM scratch
ADD rootfs.tar.xz /
COPY --from=build /demo /demo
CMD ["/demo"]
