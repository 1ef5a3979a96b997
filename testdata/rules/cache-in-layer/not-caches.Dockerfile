FROM python:3.12
# pip takes unique prefixes of its options: `--no-cache` is `--no-cache-dir`.
RUN pip install --no-cache flask
RUN pip install --no-ca requests
RUN composer install --no-cache
# A cache moved for one command and removed after it.
RUN npm ci --cache /tmp/npm-cache && rm -rf /tmp/npm-cache
RUN npm ci --cache=/tmp/npm && npm run build && rm -rf /tmp/npm
RUN apt-get update && find /var/lib/apt/lists -type f -delete
RUN apt-get update && find /var/lib/apt/lists -mindepth 1 -exec rm -rf {} +
# A heredoc fed to a program other than a shell is data, not commands.
RUN <<EOF cat > /usr/local/bin/setup.sh
apt-get update
pip install flask
EOF
# Nothing runs after `exit`: the removal does not count.
RUN <<EOF
apt-get update
# ^ cache-in-layer
exit 0
rm -rf /var/lib/apt/lists/*
EOF
RUN npm ci --cache /tmp/npm-cache
# ^ cache-in-layer
