package tempdir

import (
	"os"
	"path/filepath"
	"testing"
)

// removeTree removes nested folders and files, as the cleanup needs.
func TestRemoveTree(t *testing.T) {
	dir, err := os.MkdirTemp("", "tempdir-test")
	if err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(deep, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(dir, "x"), filepath.Join(deep, "y")} {
		if err := os.WriteFile(f, []byte("z"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := removeTree(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s still there: %v", dir, err)
	}
}

// New gives a folder that exists during the test.
func TestNew(t *testing.T) {
	dir := New(t)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("%s: %v", dir, err)
	}
}
