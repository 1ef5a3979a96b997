# What the stage declares with ARG and ENV, and what the base image sets, is assigned.
FROM python:3.12
ARG version=1
ARG package
ENV home_dir=/opt/app
ENV dirs="/opt /srv"
RUN echo "$version" "$home_dir" "$PYTHON_VERSION" "$lang"
# ^ shellcheck
RUN cp ./$package /tmp/ && ls $home_dir && ls $dirs
# ^ shellcheck
RUN <<EOF
#!/bin/sh
echo "$version"
ls $dirs
# ^ shellcheck
EOF
FROM debian:12
RUN echo "$version"
# ^ shellcheck
