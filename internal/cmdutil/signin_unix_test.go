//go:build unix

package cmdutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// $BROWSER is honoured as the GitHub CLI does: its words, then the URL.
func TestBrowserCommandIsHonoured(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "opened")
	script := filepath.Join(dir, "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s %s' \"$1\" \"$2\" > \""+out+".tmp\" && mv \""+out+".tmp\" \""+out+"\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := browserOpener(script + " --new-window")("https://login.example/authorize?x=1&y=2"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	var got []byte
	for got == nil && time.Now().Before(deadline) {
		got, _ = os.ReadFile(out) // written whole by a rename
		if got == nil {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if string(got) != "--new-window https://login.example/authorize?x=1&y=2" {
		t.Fatalf("the browser command got %q", got)
	}
	spaced := filepath.Join(dir, "my browser")
	if err := os.Rename(script, spaced); err != nil {
		t.Fatal(err)
	}
	os.Remove(out)
	if err := browserOpener(spaced)("https://x"); err != nil {
		t.Fatalf("a browser path with a space: %v", err)
	}
	for got = nil; got == nil && time.Now().Before(deadline); {
		if got, _ = os.ReadFile(out); got == nil {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if strings.TrimSpace(string(got)) != "https://x" {
		t.Fatalf("a browser path with a space got %q", got)
	}
	if err := browserOpener("/no/such/browser")("https://x"); err == nil || !strings.Contains(err.Error(), "$BROWSER") {
		t.Fatalf("a missing browser: %v", err)
	}
}
