package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from go-server")
	})
	http.HandleFunc("/dns", func(w http.ResponseWriter, r *http.Request) {
		addrs, err := net.LookupHost("localhost")
		loopback := false
		for _, a := range addrs {
			loopback = loopback || a == "127.0.0.1" || a == "::1"
		}
		fmt.Fprintf(w, "localhost resolved: %v, loopback: %v\n", err == nil, loopback)
	})
	log.Fatal(http.ListenAndServe(":8081", nil))
}
