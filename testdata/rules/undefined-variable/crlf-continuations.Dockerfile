FROM alpine:3.20
ENV A=1 \
    B=$MISSING \
# ^ undefined-variable
    C=$A
# ^ undefined-variable
ARG G=1
COPY $G $NOPE /d/
# ^ undefined-variable
