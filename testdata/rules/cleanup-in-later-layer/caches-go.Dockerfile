FROM golang:1.22
WORKDIR /src
RUN go build -o /usr/local/bin/app ./cmd/app
RUN echo cleaning && go clean -cache -modcache
# ^ cleanup-in-later-layer
