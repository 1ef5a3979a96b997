# escape=`
# With the backtick escape, the continuation is a backtick.
FROM debian:12
RUN echo start && `
    cp $HOME/a /tmp/ && `
# ^ shellcheck
    echo "a\\b" && `
# ^ shellcheck
    true
