FROM alpine:3.20 AS build
RUN echo 1
FROM alpine:3.20
RUN echo 2
ONBUILD RUN echo 3
RUN echo 4
ONBUILD RUN echo 5
ONBUILD RUN echo 6
RUN <<EOT
echo 7
EOT
RUN echo 8
