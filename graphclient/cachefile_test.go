//go:build !windows

package graphclient_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/tempdir"
)

// msalCache stands in for MSAL's in-memory cache: what it was given, and
// what it will hand over.
type msalCache struct{ data []byte }

func (m *msalCache) Unmarshal(b []byte) error { m.data = append([]byte(nil), b...); return nil }
func (m *msalCache) Marshal() ([]byte, error) { return m.data, nil }

func cacheAt(t *testing.T, path string) cache.ExportReplace {
	t.Helper()
	c, err := graphclient.NewTokenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Issue 22, cases 7 and 8: a token cache that is a FIFO, a device or
// huge is refused with a clear message, never read forever.
func TestTokenCacheReadsOnlyARegularFileOfSense(t *testing.T) {
	dir := tempdir.New(t)
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.json")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.json")
	if err := os.WriteFile(huge, make([]byte, 5<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{fifo: "not a regular file", zero: "not a regular file", huge: "more than a token cache holds"} {
		err := cacheAt(t, path).Replace(context.Background(), &msalCache{}, cache.ReplaceHints{})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "remove it") {
			t.Errorf("%s: %v, want %q", filepath.Base(path), err, want)
		}
	}
}

// Issue 22, case 8: a cache left at 0644 stayed so while logout said 0600.
// Reading it makes it private.
func TestLooseTokenCacheIsTightened(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "msal.json")
	os.WriteFile(path, []byte(`{"Account":{}}`), 0o644)
	os.Chmod(path, 0o644)
	if err := cacheAt(t, path).Replace(context.Background(), &msalCache{}, cache.ReplaceHints{}); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", info.Mode().Perm())
	}
}

// Issue 22, case 8: two runs at once could drop a refresh token, the
// later write replacing the earlier. Each run's new tokens are kept; an
// account one run signed out of stays signed out.
func TestTwoRunsKeepEachOthersTokens(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "msal.json")
	ctx := context.Background()
	os.WriteFile(path, []byte(`{"RefreshToken":{"old":"rt0"},"Account":{"old":"o"}}`), 0o600)
	a, b := cacheAt(t, path), cacheAt(t, path) // two processes
	ma, mb := &msalCache{}, &msalCache{}
	a.Replace(ctx, ma, cache.ReplaceHints{})
	b.Replace(ctx, mb, cache.ReplaceHints{})
	mb.data = []byte(`{"RefreshToken":{"old":"rt0","b":"rt-b"},"Account":{"old":"o","b":"b"}}`)
	if err := b.Export(ctx, mb, cache.ExportHints{}); err != nil {
		t.Fatal(err)
	}
	ma.data = []byte(`{"RefreshToken":{"a":"rt-a"},"Account":{"a":"a"}}`) // a signed out of "old", signed in as "a"
	if err := a.Export(ctx, ma, cache.ExportHints{}); err != nil {
		t.Fatal(err)
	}
	var got map[string]map[string]string
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got["RefreshToken"]["a"] != "rt-a" || got["RefreshToken"]["b"] != "rt-b" || got["Account"]["b"] != "b" {
		t.Fatalf("a run's tokens were dropped: %s", data)
	}
	if _, back := got["RefreshToken"]["old"]; back {
		t.Fatalf("a signed-out account came back: %s", data)
	}
}
