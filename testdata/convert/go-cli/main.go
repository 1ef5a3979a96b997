package main

import (
	"crypto/sha256"
	"fmt"
	"strings"
)

func main() {
	words := []string{"single", "stage", "to", "multi", "stage"}
	text := strings.Join(words, " ")
	fmt.Printf("text: %s\n", text)
	fmt.Printf("sha256: %x\n", sha256.Sum256([]byte(text)))
}
