FROM fedora:40
RUN microdnf install -y tar
# ^ cache-in-layer
RUN zypper in -y vim
# ^ cache-in-layer
RUN gem install rails
# ^ cache-in-layer
RUN composer require monolog/monolog
# ^ cache-in-layer
RUN pnpm install --frozen-lockfile
# ^ cache-in-layer
RUN yarn
# ^ cache-in-layer
RUN <<EOF
set -e
apk update
# ^ cache-in-layer
EOF
RUN ["pip", "install", "x"]
# ^ cache-in-layer
RUN yarn --version && npm --version && pip --version
