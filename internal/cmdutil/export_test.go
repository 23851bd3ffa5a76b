package cmdutil_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
	"github.com/apppass/apppass/internal/tempdir"
)

// Issue 22, case 3: the wizard's report file kept an OSC 52 clipboard
// write, a title change and a right-to-left override; `cat` ran them.
func TestExportedFilesCarryNoEscapes(t *testing.T) {
	dir := tempdir.New(t)
	report := "# apppass diagnosis: Megan\x1b]52;c;ZXZpbA==\a\x1b]0;owned\a\u202etxt.exe\n\nCan an app password fix this? No.\n"
	path, err := cmdutil.ExportTo(dir, "report.md", []byte(report))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"\x1b", "\a", "\u202e"} {
		if strings.Contains(string(data), bad) {
			t.Fatalf("the file carries %q: %q", bad, data)
		}
	}
	if !strings.Contains(string(data), "Megantxt.exe") || !strings.Contains(string(data), "Can an app password fix this? No.") {
		t.Fatalf("the file lost text: %q", data)
	}
	// Windows has no permission bits (Go reports 0666 for any writable
	// file; seen under Wine): the folder's ACL protects the file there.
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
}

// Issue 22, case 9: a second export in the same minute hit "file exists".
// It now gets a name of its own, and the first file is untouched.
func TestExportNamesNeverCollide(t *testing.T) {
	dir := tempdir.New(t)
	var paths []string
	for i := range 3 {
		p, err := cmdutil.ExportTo(dir, "apppass-scan-20261121-0900.csv", []byte{byte('a' + i)})
		if err != nil {
			t.Fatalf("export %d: %v", i+1, err)
		}
		paths = append(paths, filepath.Base(p))
	}
	want := "apppass-scan-20261121-0900.csv apppass-scan-20261121-0900-2.csv apppass-scan-20261121-0900-3.csv"
	if strings.Join(paths, " ") != want {
		t.Fatalf("names %v", paths)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, paths[0])); string(data) != "a" {
		t.Fatalf("the first export was overwritten: %q", data)
	}
	assertOnly(t, dir, 3)
}

// Issue 22, case 9: on a full disk an export left a truncated .json and an
// empty .md. Now it fails with a clear error and leaves nothing behind.
func TestExportOnAFullDisk(t *testing.T) {
	dir := cmdtest.TinyDisk(t, 64<<10)
	cmdtest.Fill(t, dir, 4096)
	_, err := cmdutil.ExportTo(dir, "apppass-report.json", []byte(strings.Repeat("{}", 128<<10)))
	if err == nil {
		t.Fatal("a 256 KiB export fit on a full 64 KiB disk")
	}
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "apppass-report.json") || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("the error does not say what happened: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "filler" {
			t.Fatalf("left behind: %s", e.Name())
		}
	}
}

func assertOnly(t *testing.T, dir string, n int) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	if len(entries) != n {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("the folder holds %v, want %d files (no temporary file left)", names, n)
	}
}
