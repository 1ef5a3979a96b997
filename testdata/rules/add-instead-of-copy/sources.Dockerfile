FROM alpine:3.20
ARG PKG=tool.tar.gz
ARG CONF=app.conf
ADD app.conf /etc/app/
# ^ add-instead-of-copy
ADD ["a b.txt", "/app/"]
# ^ add-instead-of-copy
ADD https://example.com/tool /usr/local/bin/tool
ADD git@github.com:acme/lib.git /src/lib
ADD https://github.com/acme/lib.git#v1.0 /src/lib
ADD rootfs.tar.xz /
ADD rootfs.TAR.GZ /
ADD dist.tgz data.tar.zst /opt/
ADD $PKG /opt/
ADD $CONF /etc/app/
# ^ add-instead-of-copy
ADD notes.txt dist.tgz /opt/
# ^ add-instead-of-copy
ADD release.zip /opt/
# ^ add-instead-of-copy
