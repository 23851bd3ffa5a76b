package journal

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/tempdir"
)

// A write whose outcome is unknown (ctrl+c, time-out, no answer) stays to
// be re-read; a refused one is failed; a declined one was never begun; a
// re-read closes it.
func TestJournalRecordsUnknownOutcomes(t *testing.T) {
	file, err := Open(filepath.Join(tempdir.New(t), "state", "journal.jsonl"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for name, j := range map[string]*File{"file": file, "memory": InMemory(time.Now)} {
		t.Run(name, func(t *testing.T) {
			outcomes := []error{
				context.Canceled,
				fmt.Errorf("%w: time-out", graphclient.ErrUnreachable),
				&graphclient.GraphError{Status: 403},
				nil,
			}
			var ids []string
			for _, werr := range outcomes {
				c := Change{Kind: PerUserMFA, Before: "disabled", After: "enabled"}
				id, err := j.Begin(c)
				if err != nil {
					t.Fatal(err)
				}
				c.ID, c.Outcome = id, OutcomeOf(werr)
				j.Finish(c)
				ids = append(ids, id)
			}
			if err := j.Decline(Change{Kind: SignInSessions, Before: "x", After: "revoked"}); err != nil {
				t.Fatal(err)
			}
			left, err := j.Unfinished()
			if err != nil || len(left) != 2 || left[0].ID != ids[0] || left[1].ID != ids[1] || left[0].Outcome != Unknown {
				t.Fatalf("unfinished = %+v, %v; want the cancelled and the timed-out write", left, err)
			}
			j.Resolve(left[0], "per-user MFA enabled")
			if left, _ := j.Unfinished(); len(left) != 1 || left[0].ID != ids[1] {
				t.Fatalf("after a re-read: %+v", left)
			}
		})
	}
}

// A change begun and never finished (the run died mid-write) is unfinished.
func TestJournalKeepsAChangeBegunAndNeverFinished(t *testing.T) {
	j := InMemory(time.Now)
	id, _ := j.Begin(Change{Kind: PerUserMFA, Before: "enabled", After: "enforced"})
	if left, _ := j.Unfinished(); len(left) != 1 || left[0].ID != id || left[0].Outcome != Pending {
		t.Fatalf("unfinished = %+v", left)
	}
}

func TestOutcomeOf(t *testing.T) {
	for err, want := range map[error]Outcome{
		nil: Done, context.Canceled: Unknown, context.DeadlineExceeded: Unknown,
		graphclient.ErrUnreachable: Unknown, &graphclient.GraphError{Status: 503}: Failed,
	} {
		if got := OutcomeOf(err); got != want {
			t.Errorf("OutcomeOf(%v) = %s, want %s", err, got, want)
		}
	}
}

// What was seen after a change (the app's own sign-in) is recorded with an
// id and a time, and is never taken for an unfinished write, whatever its
// outcome.
func TestJournalObservesWithoutUnfinishing(t *testing.T) {
	file, err := Open(filepath.Join(tempdir.New(t), "journal.jsonl"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Outcome{Done, Failed, Unknown} {
		if err := file.Observe(Change{Kind: AppSignIn, Account: "backup@contoso.com", After: "not seen within 15 minutes", Outcome: o}); err != nil {
			t.Fatal(err)
		}
	}
	if left, err := file.Unfinished(); err != nil || len(left) != 0 {
		t.Fatalf("unfinished = %+v, %v", left, err)
	}
	if AppSignIn.Label() != "the app's own sign-in" {
		t.Error(AppSignIn.Label())
	}
}
