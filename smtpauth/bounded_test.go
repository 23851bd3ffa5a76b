package smtpauth

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
)

// Issue 22, case 7: a server whose greeting never ends is read no further
// than maxSession bytes: the test ends with an error at once, instead of
// reading until its time-out with the line growing in memory.
func TestEndlessReplyIsBounded(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		chunk := []byte("220 " + strings.Repeat("a", 4096))
		for {
			if _, err := conn.Write(chunk); err != nil {
				return // the client hung up
			}
		}
	}()
	_, err = Test(context.Background(), Config{Addr: ln.Addr().String()}, "a@contoso.com", "secret")
	if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("an endless greeting: %v, want an error before the time-out", err)
	}
	if strings.Contains(err.Error(), strings.Repeat("a", 100)) {
		t.Fatalf("the error quotes the endless line: %.200s", err)
	}
}
