# The final stage builds nothing and runs what stage `build` made: toolchain-final-stage's
# finding, not this rule's.
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM golang:1.22
COPY --from=build /out/app /usr/local/bin/app
CMD ["app"]
