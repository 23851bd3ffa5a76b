//go:build !windows

package graphclient_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/tempdir"
)

// assertProtectedAtRest: on Linux and macOS the token cache is the file
// itself, readable only by its owner (0600, in a 0700 folder). It holds the
// tokens in the clear, which is why CacheProtection says it is not encrypted.
func assertProtectedAtRest(t *testing.T, path, secret string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("cache mode %v, want 0600", info.Mode().Perm())
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Errorf("cache folder mode %v, want 0700", dir.Mode().Perm())
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), secret) {
		t.Errorf("the cache file does not hold the tokens: is %s the cache?", path)
	}
}

func assertProtectionSaid(t *testing.T, said string) {
	t.Helper()
	for _, want := range []string{"0600", "not encrypted"} {
		if !strings.Contains(said, want) {
			t.Errorf("CacheProtection %q does not say %q", said, want)
		}
	}
}

// An existing cache folder with a loose mode is tightened to 0700.
func TestPrivateFoldersAreTightened(t *testing.T) {
	dir := filepath.Join(tempdir.New(t), "apppass")
	os.Mkdir(dir, 0o755)
	if err := graphclient.PrivateDir(dir); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v, want 0700", info.Mode().Perm())
	}
}
