FROM golang:1.22 AS tools
RUN CGO_ENABLED=0 go install github.com/example/tool@v1.0.0

FROM node:22-slim
COPY --from=tools /go/bin/tool /usr/local/bin/tool
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]
