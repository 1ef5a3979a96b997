FROM alpine:3.20
# Several empty lines in one instruction: one finding, all of them removed.
RUN apk add --no-cache \

# ^ empty-continuation-line
    curl \
        	
    git \
    # a comment line is not empty

    jq
# An empty line after the last continuation joins the next line to the instruction.
ENV A=1 \

# ^ empty-continuation-line
    B=2
ONBUILD RUN echo \

# ^ empty-continuation-line
    hello
# A heredoc's empty lines are its content.
RUN <<EOF
echo \

EOF
# A line of only the escape character is not empty.
RUN echo \
\
    done
EXPOSE 80
