FROM alpine:3.20 as lower
# ^ mismatched-as-casing
from alpine:3.20 AS upper
# ^ mismatched-as-casing
FROM alpine:3.20 As mixed
# ^ mismatched-as-casing
from --platform=$BUILDPLATFORM alpine:3.20 aS mixed2
# ^ mismatched-as-casing
FROM alpine:3.20 \
    as continued
# ^ mismatched-as-casing
# A mixed-case FROM has no casing for AS to follow: left to inconsistent-keyword-casing.
From alpine:3.20 as a
From alpine:3.20 AS b
# Matching casings.
FROM alpine:3.20 AS c
from alpine:3.20 as d
FROM alpine:3.20
