# escape=`
FROM alpine:3.20
COPY `$NOT_A_VARIABLE \$BACKSLASH_IS_LITERAL /dst/
# ^ undefined-variable
ENV A=1 `
    B=$UNDEFINED_ON_A_CONTINUATION
# ^ undefined-variable
