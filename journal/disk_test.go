package journal_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
	"github.com/apppass/apppass/journal"
)

// Issue 22, case 5, on a real full disk (a tiny tmpfs): a Begin that
// cannot be written fails (so the change is not made) and leaves no
// bytes; a Finish that cannot be written leaves the change unfinished;
// once there is room, every later record is read, with no damage.
func TestJournalOnAFullDisk(t *testing.T) {
	dir := cmdtest.TinyDisk(t, 64<<10)
	j, err := journal.Open(filepath.Join(dir, "state", "journal.jsonl"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	begun, err := j.Begin(journal.Change{Account: "a@contoso.com", Kind: journal.PerUserMFA, Before: "enabled", After: "enforced"})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(j.Path())
	cmdtest.Fill(t, dir, 0)
	big := strings.Repeat("x", 8000) // with Error too, more than the last page's slack
	if _, err := j.Begin(journal.Change{Account: "b@contoso.com", Kind: journal.PerUserMFA, Note: big, Error: big}); err == nil {
		t.Fatal("a Begin on a full disk succeeded")
	}
	if err := j.Finish(journal.Change{ID: begun, Kind: journal.PerUserMFA, Outcome: journal.Done, Note: big, Error: big}); err == nil {
		t.Fatal("a Finish on a full disk succeeded")
	}
	if after, _ := os.ReadFile(j.Path()); string(after) != string(before) {
		t.Fatalf("failed writes left bytes behind:\n%q", after[len(before):])
	}
	os.Remove(filepath.Join(dir, "filler"))
	next, err := j.Begin(journal.Change{Account: "c@contoso.com", Kind: journal.PerUserMFA})
	if err != nil {
		t.Fatal(err)
	}
	left, err := j.Unfinished()
	if err != nil || len(left) != 2 || left[0].ID != begun || left[1].ID != next {
		t.Fatalf("unfinished %+v, %v; want the unfinished change and the next one", left, err)
	}
}
