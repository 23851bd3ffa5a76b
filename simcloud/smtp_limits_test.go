package simcloud

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
)

// Issue 22, case 7: simcloud's SMTP read a line with no limit (200 MiB took
// it to 231 MB). A command line over 1,000 octets is refused and the
// session goes on; a line over 12,288 is refused and the session ends,
// the server having held no more of it than that.
func TestSMTPLineLimits(t *testing.T) {
	srv := newServer(t, "classic")
	ep, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	conn, err := net.Dial("tcp", ep.SMTPAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	expect := func(prefix string) {
		t.Helper()
		line, err := r.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, prefix) {
			t.Fatalf("reply %q (%v), want %s", line, err, prefix)
		}
	}
	expect("220 ")
	io.WriteString(conn, "NOOP "+strings.Repeat("x", 1000)+"\r\n")
	expect("500 5.5.2 Line too long")
	io.WriteString(conn, "NOOP\r\n")
	expect("250 ")
	// An endless line: the server answers once it has read 12,288 octets
	// and closes, without waiting for the line to end.
	go io.WriteString(conn, "AUTH PLAIN "+strings.Repeat("A", 64<<10))
	expect("500 5.5.2 Line too long")
	if line, err := r.ReadString('\n'); err == nil {
		t.Fatalf("the session went on after an endless line: %q", line) // EOF, or a reset for the unread rest
	}
}
