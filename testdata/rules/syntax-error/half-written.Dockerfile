FROM
# ^ syntax-error
COPY --from=
# ^ syntax-error
RUN
# ^ syntax-error
ENV
# ^ syntax-error
CMD [
ONBUILD ONBUILD RUN x
# ^ syntax-error
MAINTAINER x
FRM alpine
# ^ syntax-error
SHELL /bin/bash -c
# ^ syntax-error
ENV ONLYKEY
# ^ syntax-error
HEALTHCHECK --interval=1s
# ^ syntax-error
COPY onlyone
# ^ syntax-error
FROM a b
# ^ syntax-error
