ARG GITHUB_TOKEN
# ^ secret-in-arg-or-env
ARG GOPRIVATE=github.com/acme
FROM alpine:3.20
ARG AWS_ACCESS_KEY_ID \
# ^ secret-in-arg-or-env
    AWS_SECRET_ACCESS_KEY
# ^ secret-in-arg-or-env
ENV API_KEY=x \
# ^ secret-in-arg-or-env
    NODE_ENV=production db_password=y
# ^ secret-in-arg-or-env
ENV PASSWD hunter2
# ^ secret-in-arg-or-env
ENV NPM_TOKEN_FILE=/run/secrets/npm PUBLIC_KEY=/k.pub DOCKER_AUTH_VERSION=1.5
ENV TOKENIZER=bpe KEYS=a MY_SECRETS=b DB_PASS=c PGPASSWORD=d secretKey=e API-KEY=f
ENV SSH_AUTH_SOCK=/agent.sock
# ^ secret-in-arg-or-env
ENV ${PREFIX}_TOKEN=1 TOK${EN}=2 $TOKEN=3
# ^ secret-in-arg-or-env
ENV "QUOTED_TOKEN"=1
ONBUILD ARG ONBUILD_SECRET
LABEL SECRET=not-a-variable
