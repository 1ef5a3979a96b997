FROM debian:12-slim AS base
ARG A0=xxxxxxxx
ARG A1=${A0}${A0}
ARG A2=${A1}${A1}
ARG A3=${A2}${A2}
ARG A4=${A3}${A3}
ARG A5=${A4}${A4}
ARG A6=${A5}${A5}
ARG A7=${A6}${A6}
ARG A8=${A7}${A7}
ARG A9=${A8}${A8}
ARG A10=${A9}${A9}
ARG A11=${A10}${A10}
ARG A12=${A11}${A11}
ARG A13=${A12}${A12}
ARG A14=${A13}${A13}
ARG A15=${A14}${A14}
ARG A16=${A15}${A15}
ARG A17=${A16}${A16}
ARG A18=${A17}${A17}
ARG A19=${A18}${A18}
ARG A20=${A19}${A19}
ARG A21=${A20}${A20}
ARG A22=${A21}${A21}
ARG A23=${A22}${A22}
ARG A24=${A23}${A23}
ARG A25=${A24}${A24}
ARG A26=${A25}${A25}
ARG A27=${A26}${A26}
ARG A28=${A27}${A27}
ARG A29=${A28}${A28}
# Doubling values grow past 64 KiB: unknown from there on, with no report.
WORKDIR /$A29
FROM base
RUN (((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((true)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
# ^ analysis-limit
ONBUILD RUN echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo x))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
# ^ analysis-limit
RUN echo "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
CMD ["sh"]
