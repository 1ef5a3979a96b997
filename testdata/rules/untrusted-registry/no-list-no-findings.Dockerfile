FROM quay.io/prometheus/busybox:latest
COPY --from=registry.example.com/tools/jq:1.7 /jq /jq
