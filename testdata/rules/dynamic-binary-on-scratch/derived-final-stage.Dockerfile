FROM golang:1.22 AS build
WORKDIR /src
RUN go build -o /out/demo .

FROM scratch AS base
COPY --from=build /out/demo /demo
# ^ dynamic-binary-on-scratch

# The final stage is built on `base`, so what `base` copies ships.
FROM base
ENTRYPOINT ["/demo"]
