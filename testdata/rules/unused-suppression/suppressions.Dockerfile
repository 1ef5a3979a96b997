# check=skip=unnamed-stage
# dlint global ignore=relative-copy-from
FROM golang:1.22
WORKDIR /src
RUN go build -o hello .
FROM debian:12-slim
COPY --from=0 hello /hello
# hadolint ignore=DL3009,DL3008
RUN apt-get update
# dlint ignore=DL3009
RUN apt-get update
# dlint ignore=undefined-stage,shell-form-on-scratch
# ^ unused-suppression
COPY --from=nope /a /b
# dlint ignore=nope-rule
# ^ unused-suppression
CMD ["/hello"]
