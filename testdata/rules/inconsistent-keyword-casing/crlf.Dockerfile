FROM alpine:3.20
run echo hi
# ^ inconsistent-keyword-casing
CMD ["sh"]
