FROM golang:1.22 AS build
WORKDIR /src
RUN go build -o /out/demo .

# An export stage for `docker build --output`: no CMD or ENTRYPOINT, nothing runs here.
FROM scratch AS export
COPY --from=build /out/demo /
