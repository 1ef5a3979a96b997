FROM alpine:3.20
COPY secrets /secrets
COPY node_modules /app/node_modules
