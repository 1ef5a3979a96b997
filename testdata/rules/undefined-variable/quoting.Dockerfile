# Quotes, escapes, operators and special parameters, as BuildKit reads them.
FROM alpine:3.20
ARG SET=1
COPY '$SINGLE' \$ESCAPED "$DOUBLE" /dst/
# ^ undefined-variable
COPY ${SET:-$DEFAULT_WORD} /dst/
# ^ undefined-variable
COPY ${UNSET_WITH_DEFAULT:-x} /dst/
# ^ undefined-variable
COPY ${SET:+alt} ${SET-x} ${SET#pre} ${SET%suf} /dst/
COPY ${REQUIRED?must be set} ${REQUIRED2:?} /dst/
COPY $1 /dst/
# ^ undefined-variable
COPY $@ /dst/
# ^ undefined-variable
COPY cost$ x$/y /dst/
COPY "a\"$SET\"b" /dst/
