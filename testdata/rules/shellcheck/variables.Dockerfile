# What the stage declares with ARG and ENV, and what the base image sets, is assigned.
FROM python:3.12
ARG version=1
ENV home_dir=/opt/app
RUN echo "$version" "$home_dir" "$PYTHON_VERSION" "$lang"
# ^ shellcheck
FROM debian:12
RUN echo "$version"
# ^ shellcheck
