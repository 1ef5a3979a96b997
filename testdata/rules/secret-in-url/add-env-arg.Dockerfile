FROM alpine:3.20
ARG REGISTRY_URL=https://ci:s3cr3t@registry.example.com/
# ^ secret-in-url
ADD https://deploy:s3cr3t@artifacts.example.com/data.tgz /data/
# ^ secret-in-url
ADD https://oauth2:glpat-abcdefghij0123456789@gitlab.example.com/acme/repo.git /repo
# ^ secret-in-url
ADD https://example.com/public.tgz /public/
ENV DATABASE_URL=postgres://app:hunter2@db:5432/app \
# ^ secret-in-url
    CACHE_URL=redis://cache:6379/0
ARG DB_USER=app
ARG DB_PASS
ENV DSN="mysql://${DB_USER}:${DB_PASS}@db/app"
# ^ secret-in-url
ENV PROXY=http://proxy.example.com:3128
