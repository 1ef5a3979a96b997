FROM
COPY --from=
RUN
ENV
CMD [
ONBUILD ONBUILD RUN x
# ^ syntax-error
MAINTAINER x
FRM alpine
# ^ syntax-error
