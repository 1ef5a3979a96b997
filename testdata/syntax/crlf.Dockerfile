FROM alpine:3.20
RUN echo one \
    two
COPY <<EOF /x
line
EOF
CMD ["sh"]
