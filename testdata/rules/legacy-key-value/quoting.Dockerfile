FROM alpine:3.20
ENV A b  c
# ^ legacy-key-value
ENV PATH $PATH:/opt/bin
# ^ legacy-key-value
ENV GREETING "hello world" 'single "quoted" $NOT_EXPANDED'
# ^ legacy-key-value
ENV ESCAPED a\ b \$HOME \\ \" c:\x
# ^ legacy-key-value
ENV DEFAULT ${UNSET:-a b} ${UNSET:+x} ${PATH#/usr} ${PATH/bin/sbin}
# ^ legacy-key-value
ENV QUOTED_DEFAULT ${UNSET:-"a b"}
# ^ legacy-key-value
LABEL maintainer Jane Doe <jane@example.com>
# ^ legacy-key-value
LABEL description "A \"quoted\" word"
# ^ legacy-key-value
label lower case
# ^ legacy-key-value
