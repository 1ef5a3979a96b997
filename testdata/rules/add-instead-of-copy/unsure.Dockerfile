FROM alpine:3.20
ADD ${SRC} /opt/
# ^ add-instead-of-copy
ADD *.txt /opt/
# ^ add-instead-of-copy
ADD ${URL:-https://example.com/x} /opt/
ONBUILD ADD . /app/
# ^ add-instead-of-copy
