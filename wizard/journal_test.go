package wizard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/steps"
)

// A write whose outcome is unknown (ctrl+c, time-out, no answer) stays to
// be re-read; a refused one is failed; a re-read closes it.
func TestJournalRecordsUnknownOutcomes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	os.Mkdir(dir, 0o755)
	file, err := OpenJournal(filepath.Join(dir, "journal.jsonl"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Fatalf("journal folder mode %v, want 0700", info.Mode().Perm())
	}
	for name, j := range map[string]*FileJournal{"file": file, "memory": NewMemoryJournal(time.Now)} {
		t.Run(name, func(t *testing.T) {
			outcomes := []error{
				context.Canceled,
				fmt.Errorf("%w: time-out", graphclient.ErrUnreachable),
				&graphclient.GraphError{Status: 403},
				nil,
			}
			var ids []string
			for _, werr := range outcomes {
				id, err := j.Begin(steps.Change{What: "perUserMfaState", Before: "disabled", After: "enabled"})
				if err != nil {
					t.Fatal(err)
				}
				j.Finish(id, "unknown", "", werr)
				ids = append(ids, id)
			}
			left, err := j.Unfinished()
			if err != nil || len(left) != 2 || left[0].ID != ids[0] || left[1].ID != ids[1] || left[0].Status != "unknown" {
				t.Fatalf("unfinished = %+v, %v; want the cancelled and the timed-out write", left, err)
			}
			j.Resolve(left[0], "per-user MFA enabled")
			if left, _ := j.Unfinished(); len(left) != 1 || left[0].ID != ids[1] {
				t.Fatalf("after a re-read: %+v", left)
			}
		})
	}
}

func TestWriteStatus(t *testing.T) {
	for err, want := range map[error]string{
		nil: "done", context.Canceled: "unknown", context.DeadlineExceeded: "unknown",
		graphclient.ErrUnreachable: "unknown", &graphclient.GraphError{Status: 503}: "failed",
	} {
		if got := steps.WriteStatus(err); got != want {
			t.Errorf("WriteStatus(%v) = %s, want %s", err, got, want)
		}
	}
}
