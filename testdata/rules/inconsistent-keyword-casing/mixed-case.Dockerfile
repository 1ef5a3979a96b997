# Mixed-case keywords count for neither casing and are always flagged; with no keyword in
# either casing, uppercase wins the tie.
From alpine:3.20 as build
# ^ inconsistent-keyword-casing
Run echo \
# ^ inconsistent-keyword-casing
    continued
EntryPoint ["sh"]
# ^ inconsistent-keyword-casing
