package journal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/internal/tempdir"
)

func openTemp(t *testing.T) *File {
	t.Helper()
	j, err := Open(filepath.Join(tempdir.New(t), "state", "journal.jsonl"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// Issue 22, case 5: a write cut off on a full disk left a torn line, the
// next record was glued to it and never read ("unfinished 0"). The next
// record now starts a line of its own; the torn one is skipped and said.
func TestATornLineHidesNoLaterRecord(t *testing.T) {
	j := openTemp(t)
	if err := os.WriteFile(j.Path(), []byte(`{"id":"20261121T090000-1","what":"perUserMfaState","bef`), 0o600); err != nil {
		t.Fatal(err)
	}
	id, err := j.Begin(Change{Kind: PerUserMFA, Before: "enabled", After: "enforced"})
	if err != nil {
		t.Fatal(err)
	}
	left, err := j.Unfinished()
	var damaged *DamagedError
	if len(left) != 1 || left[0].ID != id {
		t.Fatalf("unfinished = %+v, want the record after the torn line", left)
	}
	if !errors.As(err, &damaged) || damaged.Torn != 1 || !strings.Contains(err.Error(), j.Path()) {
		t.Fatalf("the torn line is not reported: %v", err)
	}
}

// Issue 22, case 5: one line over 64 KiB (a long Graph error) made the
// reader fail, and the wizard then ignored the error. Such a line is now
// skipped and said; every other record is read. A record apppass writes
// never gets that long: free text is clipped.
func TestAnOverLongLineHidesNoLaterRecord(t *testing.T) {
	j := openTemp(t)
	first, _ := j.Begin(Change{Kind: PerUserMFA, Before: "disabled", After: "enabled"})
	f, err := os.OpenFile(j.Path(), os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(`{"id":"x","error":"` + strings.Repeat("A", 2*maxLine) + "\"}\n"))
	f.Close()
	second, _ := j.Begin(Change{Kind: PerUserMFA, Before: "enabled", After: "enforced", Error: strings.Repeat("é", 100<<10)})
	left, err := j.Unfinished()
	var damaged *DamagedError
	if len(left) != 2 || left[0].ID != first || left[1].ID != second {
		t.Fatalf("unfinished = %d records, want both around the long line", len(left))
	}
	if !errors.As(err, &damaged) || damaged.TooLong != 1 || damaged.Torn != 0 {
		t.Fatalf("the long line is not reported: %v", err)
	}
	if n := len(left[1].Error); n > maxText+16 || !strings.HasSuffix(left[1].Error, "(cut)") {
		t.Fatalf("a %d-byte error was kept whole", n)
	}
}

// Issue 22, case 5: change ids collided between two processes (300 of
// 300) and one's Finish closed the other's record. Ids are random now.
func TestChangeIDsNeverCollide(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "journal.jsonl")
	frozen := func() time.Time { return time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) }
	a, _ := Open(path, frozen)
	b, _ := Open(path, frozen) // another process on the same journal, in the same second
	seen := map[string]bool{}
	var bIDs []string
	for range 300 {
		ida, err := a.Begin(Change{Kind: PerUserMFA, Before: "disabled", After: "enabled"})
		if err != nil {
			t.Fatal(err)
		}
		idb, _ := b.Begin(Change{Kind: PerUserMFA, Before: "disabled", After: "enabled"})
		if seen[ida] || seen[idb] || ida == idb {
			t.Fatalf("an id came twice: %s %s", ida, idb)
		}
		seen[ida], seen[idb] = true, true
		bIDs = append(bIDs, idb)
		a.Finish(Change{ID: ida, Kind: PerUserMFA, Outcome: Done})
	}
	left, err := b.Unfinished()
	if err != nil || len(left) != 300 || left[0].ID != bIDs[0] {
		t.Fatalf("the other process's changes: %d unfinished, %v; want 300", len(left), err)
	}
}
