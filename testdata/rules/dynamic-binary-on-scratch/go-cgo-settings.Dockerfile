# cgo is on by default in the golang (Debian) images: only `b-default` and the explicit
# `CGO_ENABLED=1` builds are reported.
FROM golang:1.22 AS b-default
WORKDIR /src
RUN go build -o /bin/default .

FROM golang:1.22 AS b-prefix
RUN CGO_ENABLED=0 go build -o /bin/prefix .

FROM golang:1.22 AS b-env
ENV CGO_ENABLED=0
RUN go build -o /bin/env .

FROM golang:1.22 AS b-arg
ARG CGO_ENABLED=0
RUN go build -o /bin/arg .

FROM golang:1.22 AS b-go-env
RUN go env -w CGO_ENABLED=0
RUN go build -o /bin/goenv .

FROM golang:1.22 AS b-export
RUN export CGO_ENABLED=0 && go build -o /bin/export .

FROM golang:1.22 AS b-env-wrapper
RUN env CGO_ENABLED=0 go build -o /bin/wrapper .

FROM golang:1.22 AS b-static
RUN go build -ldflags '-extldflags "-static"' -o /bin/static . \
 && go build -tags netgo,osusergo -o /bin/netgo .

FROM golang:1.22-alpine AS b-alpine
RUN go build -o /bin/alpine .

FROM golang:1.22-alpine AS b-alpine-gcc
RUN apk add --no-cache gcc musl-dev
RUN CGO_ENABLED=1 go build -o /bin/alpine-gcc .

FROM golang:1.22 AS b-cross
RUN GOOS=windows go build -o /bin/cross.exe . \
 && GOARCH=arm64 go build -o /bin/arm64 .

FROM --platform=$BUILDPLATFORM golang:1.22 AS b-platform
ARG TARGETARCH
RUN GOARCH=$TARGETARCH go build -o /bin/platform .

FROM golang:1.22 AS b-unknown
ARG LDFLAGS
RUN go build -ldflags "$LDFLAGS" -o /bin/unknown .

FROM scratch
COPY --from=b-default /bin/default /default
# ^ dynamic-binary-on-scratch
COPY --from=b-prefix /bin/prefix /prefix
COPY --from=b-env /bin/env /env
COPY --from=b-arg /bin/arg /arg
COPY --from=b-go-env /bin/goenv /goenv
COPY --from=b-export /bin/export /export
COPY --from=b-env-wrapper /bin/wrapper /wrapper
COPY --from=b-static /bin/static /bin/netgo /
COPY --from=b-alpine /bin/alpine /alpine
COPY --from=b-alpine-gcc /bin/alpine-gcc /alpine-gcc
# ^ dynamic-binary-on-scratch
COPY --from=b-cross /bin/cross.exe /bin/arm64 /
COPY --from=b-platform /bin/platform /platform
COPY --from=b-unknown /bin/unknown /unknown
ENTRYPOINT ["/default"]
