package graphclient_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"

	"github.com/apppass/apppass/appdirs"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/tempdir"
)

// Every platform's token cache file, tested on any machine: one file per
// environment, in the platform's cache folder, named for what it holds.
func TestCachePathPerPlatform(t *testing.T) {
	environ := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	cases := []struct {
		env         appdirs.Env
		global, gcc string
	}{
		{appdirs.Env{GOOS: "linux", Getenv: environ(map[string]string{"HOME": "/home/ann"})},
			"/home/ann/.cache/apppass/msal-global.json", "/home/ann/.cache/apppass/msal-gcc-high.json"},
		{appdirs.Env{GOOS: "darwin", Getenv: environ(map[string]string{"HOME": "/Users/ann"})},
			"/Users/ann/Library/Caches/apppass/msal-global.json", "/Users/ann/Library/Caches/apppass/msal-gcc-high.json"},
		{appdirs.Env{GOOS: "windows", Getenv: environ(map[string]string{"LOCALAPPDATA": `C:\Users\ann\AppData\Local`})},
			`C:\Users\ann\AppData\Local\apppass\msal-global.dpapi`, `C:\Users\ann\AppData\Local\apppass\msal-gcc-high.dpapi`},
	}
	for _, tc := range cases {
		global, err := graphclient.CachePath(tc.env, "global")
		gcc, _ := graphclient.CachePath(tc.env, "gcc-high")
		if err != nil || global != tc.global || gcc != tc.gcc {
			t.Errorf("%s: %q and %q (%v), want %q and %q", tc.env.GOOS, global, gcc, err, tc.global, tc.gcc)
		}
	}
	if _, err := graphclient.CachePath(appdirs.Env{GOOS: "windows", Getenv: environ(nil)}, "global"); err == nil {
		t.Error("a Windows cache path without %LOCALAPPDATA%")
	}
}

// cacheBytes is a cache.Marshaler and cache.Unmarshaler of plain bytes.
type cacheBytes struct{ data []byte }

func (c *cacheBytes) Marshal() ([]byte, error) { return c.data, nil }
func (c *cacheBytes) Unmarshal(b []byte) error { c.data = bytes.Clone(b); return nil }

// This platform's token cache gives back what it was given, from a new
// instance as from a new process, and protects it at rest as
// CacheProtection says.
func TestTokenCacheRoundTrip(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "apppass", "msal-test")
	tokens := []byte(`{"AccessToken":{"k":{"secret":"simAT.canary-5521"}}}`)
	written, err := graphclient.NewTokenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := written.Export(ctx, &cacheBytes{tokens}, cache.ExportHints{}); err != nil {
		t.Fatal(err)
	}
	read, err := graphclient.NewTokenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	var got cacheBytes
	if err := read.Replace(ctx, &got, cache.ReplaceHints{}); err != nil || !bytes.Equal(got.data, tokens) {
		t.Fatalf("read back %q, %v", got.data, err)
	}
	assertProtectedAtRest(t, path, "simAT.canary-5521")
	assertProtectionSaid(t, graphclient.CacheProtection())
}

// A token cache whose file does not exist yet is empty, not an error. The
// 0600 file leaves MSAL's cache as it is; Microsoft's DPAPI cache (Windows)
// hands MSAL the empty file: both are an empty cache (seen under Wine).
func TestTokenCacheStartsEmpty(t *testing.T) {
	c, err := graphclient.NewTokenCache(filepath.Join(tempdir.New(t), "none", "msal-test"))
	if err != nil {
		t.Fatal(err)
	}
	got := cacheBytes{data: []byte("untouched")}
	if err := c.Replace(context.Background(), &got, cache.ReplaceHints{}); err != nil || (string(got.data) != "untouched" && len(got.data) != 0) {
		t.Fatalf("got %q, %v", got.data, err)
	}
}
