module example.com/gocli

go 1.19
