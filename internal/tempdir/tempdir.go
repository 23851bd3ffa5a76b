// Package tempdir gives a test a temporary folder removed when the test
// ends, exactly as testing.T.TempDir does, except under Wine: Wine 8 lacks
// the delete call (FileDispositionInformationEx) that Go's os.RemoveAll
// uses on Windows, so t.TempDir's cleanup fails there although the test
// passed. Under Wine the folder is removed one entry at a time with
// os.Remove, and a failure still fails the test. On real Windows and
// everywhere else it is t.TempDir itself. Tests only; standard library
// only, so that every package's tests may use it.
package tempdir

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// New returns a new temporary folder for the test, removed at its end.
func New(t testing.TB) string {
	t.Helper()
	if !underWine() {
		return t.TempDir()
	}
	dir, err := os.MkdirTemp("", strings.NewReplacer("/", "_", `\`, "_", ":", "_").Replace(t.Name()))
	if err != nil {
		t.Fatalf("tempdir: %v", err)
	}
	t.Cleanup(func() {
		if err := removeTree(dir); err != nil {
			t.Errorf("tempdir cleanup: %v", err)
		}
	})
	return dir
}

// removeTree removes dir and everything below it, deepest entries first.
func removeTree(dir string) error {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		paths = append(paths, path)
		return nil
	})
	if err != nil {
		return err
	}
	slices.Reverse(paths) // a folder comes before what it holds in the walk
	for _, p := range paths {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	return nil
}
