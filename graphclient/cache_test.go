package graphclient_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apppass/apppass/graphclient"
)

// An existing cache folder with a loose mode is tightened to 0700.
func TestPrivateFoldersAreTightened(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "apppass")
	os.Mkdir(dir, 0o755)
	if err := graphclient.PrivateDir(dir); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v, want 0700", info.Mode().Perm())
	}
}
