//go:build !windows

package journal

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apppass/apppass/internal/tempdir"
)

// The journal is its owner's alone: the file 0600, its folder tightened to
// 0700 even if it existed looser. (Windows has no mode bits: there the
// journal is private because it is in the user's %LOCALAPPDATA%.)
func TestJournalIsPrivate(t *testing.T) {
	dir := filepath.Join(tempdir.New(t), "state")
	os.Mkdir(dir, 0o755)
	j, err := Open(filepath.Join(dir, "journal.jsonl"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Begin(Change{Kind: PerUserMFA, Before: "disabled", After: "enabled"}); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("journal folder mode %v, want 0700", info.Mode().Perm())
	}
	if info, err := os.Stat(j.Path()); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("journal file: %v, %v; want mode 0600", info, err)
	}
}
