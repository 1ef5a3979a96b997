ARG GLOBAL_TOKEN
FROM alpine:3.20
ARG GITHUB_TOKEN
ARG USERNAME=deploy
ENV MIRROR_PASS=hunter2
# A comment with https://user:pass@example.com is not the RUN's.
RUN git clone https://${GITHUB_TOKEN}@github.com/acme/app.git /src
# ^ secret-in-url
RUN curl -fsSL "https://${USERNAME}:${MIRROR_PASS}@mirror.example.com/a.tgz" -o /a.tgz
# ^ secret-in-url
RUN sh -c 'wget -q ftp://anonymous:guest@ftp.example.com/pub/file'
# ^ secret-in-url
RUN ["curl", "-o", "/b", "https://ci:ghp_0123456789abcdefABCDEF@raw.example.com/b"]
# ^ secret-in-url
RUN <<EOF
set -e
# https://commented:out@example.com
git remote set-url origin https://ghp_0123456789abcdef0123@github.com/acme/app.git
# ^ secret-in-url
EOF
RUN git clone ssh://git@github.com/acme/app.git \
    && git clone git@github.com:acme/app.git \
    && curl https://user@example.com/public \
    && git clone https://x-access-token:${GLOBAL_TOKEN}@github.com/acme/app.git \
    && TOKEN=$(cat /run/secrets/token) && git clone https://x:${TOKEN}@github.com/a/b \
    && git clone https://$(cat /run/secrets/token)@github.com/a/b \
    && pip install git+https://github.com/acme/lib.git@v1.0
RUN --mount=type=secret,id=token,env=TOKEN \
    git -c "http.extraHeader=Authorization: Bearer ${TOKEN}" clone https://github.com/acme/app.git
ONBUILD RUN curl https://user:pass@example.com/x
