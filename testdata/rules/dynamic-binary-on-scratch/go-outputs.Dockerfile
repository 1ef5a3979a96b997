# Where `go build` and `go install` put the binary, and what the COPY takes.
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN go install ./cmd/api \
 && go build ./cmd/worker \
 && go build -o out/ ./cmd/tool \
 && go build -o /tmp/cli ./cmd/cli \
 && cp /tmp/cli /usr/local/bin/
RUN go build -o /src/ignored.txt ./cmd/ignored

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/bin/api /api
#                 ^ dynamic-binary-on-scratch
COPY --from=build /src/worker /worker
# ^ dynamic-binary-on-scratch
COPY --from=build /src/out/tool /tool
# ^ dynamic-binary-on-scratch
COPY --from=build /usr/local/bin/cli /cli
# ^ dynamic-binary-on-scratch
COPY --from=build /src/out /out
# ^ dynamic-binary-on-scratch
COPY --from=build src/worker /relative-from-root
# ^ dynamic-binary-on-scratch
COPY --from=build /src/config.yaml /config.yaml
ENTRYPOINT ["/api"]
