FROM alpine:3.20 as base
run echo one
# ^ inconsistent-keyword-casing
onbuild run echo two
# ^ inconsistent-keyword-casing
CMD ["sh"]
