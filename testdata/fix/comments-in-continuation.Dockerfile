FROM python:3.12-slim
RUN apt-get update \
# curl for the health check
    && apt-get install -y curl \
    # and git for pip installs from VCS
    && apt-get install -y git
RUN pip install \
  # pinned
  flask==3.0.3
