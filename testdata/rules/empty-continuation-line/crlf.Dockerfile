FROM alpine:3.20
RUN apk add \

# ^ empty-continuation-line
    curl
CMD ["sh"]
