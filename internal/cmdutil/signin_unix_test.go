//go:build unix

package cmdutil

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apppass/apppass/internal/tempdir"
	"github.com/apppass/apppass/internal/testkit"
)

// readOpened reads what the browser command wrote into the FIFO, waiting
// for it as long as the test may.
func readOpened(t *testing.T, fifo string) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		data, _ := os.ReadFile(fifo)
		got <- string(data)
	}()
	select {
	case s := <-got:
		return s
	case <-time.After(testkit.Patience(t)):
		t.Fatal("the browser command never wrote")
		return ""
	}
}

// $BROWSER is honoured as the GitHub CLI does: its words, then the URL.
func TestBrowserCommandIsHonoured(t *testing.T) {
	dir := tempdir.New(t)
	out := filepath.Join(dir, "opened")
	// A FIFO: reading it waits for the browser command to write, no polling.
	if err := syscall.Mkfifo(out, 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s %s' \"$1\" \"$2\" > \""+out+"\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := browserOpener(script + " --new-window")("https://login.example/authorize?x=1&y=2"); err != nil {
		t.Fatal(err)
	}
	if got := readOpened(t, out); got != "--new-window https://login.example/authorize?x=1&y=2" {
		t.Fatalf("the browser command got %q", got)
	}
	spaced := filepath.Join(dir, "my browser")
	if err := os.Rename(script, spaced); err != nil {
		t.Fatal(err)
	}
	if err := browserOpener(spaced)("https://x"); err != nil {
		t.Fatalf("a browser path with a space: %v", err)
	}
	if got := readOpened(t, out); strings.TrimSpace(got) != "https://x" {
		t.Fatalf("a browser path with a space got %q", got)
	}
	if err := browserOpener("/no/such/browser")("https://x"); err == nil || !strings.Contains(err.Error(), "$BROWSER") {
		t.Fatalf("a missing browser: %v", err)
	}
}
