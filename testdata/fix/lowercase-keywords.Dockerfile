from golang:1.22
run go build -o /hello .
from scratch
copy --from=0 /hello /hello
cmd /hello
