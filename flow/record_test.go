package flow

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/journal"
)

// fakeJournal counts what reaches the journal.
type fakeJournal struct{ finished, declined int }

func (j *fakeJournal) Begin(journal.Change) (string, error) { return "1", nil }
func (j *fakeJournal) Finish(journal.Change) error          { j.finished++; return nil }
func (j *fakeJournal) Decline(journal.Change) error         { j.declined++; return nil }
func (j *fakeJournal) Observe(journal.Change) error         { return nil }

func mfa(before, after string, o journal.Outcome) journal.Change {
	return journal.Change{Account: "backup@contoso.onmicrosoft.com", AccountID: "u1", Kind: journal.PerUserMFA, Before: before, After: after, Outcome: o}
}

// The Log hands every record to the journal and keeps the run's: a change
// made, a refused one and a declined one each land in their own list.
func TestTheLogIsTheRecord(t *testing.T) {
	j := &fakeJournal{}
	s := NewSession(j)
	s.Log.Finish(mfa("enabled", "enforced", journal.Done))
	s.Log.Finish(mfa("enforced", "enforced", journal.Failed)) // a refused undo: tried, failed
	s.Log.Decline(mfa("enforced", "enabled", ""))
	if j.finished != 2 || j.declined != 1 {
		t.Fatalf("the journal got %+v", j)
	}
	if len(s.Made()) != 1 || len(s.Failed()) != 1 || len(s.Unsure()) != 0 || len(s.Changes()) != 3 {
		t.Fatalf("made %v, failed %v, all %v", s.Made(), s.Failed(), s.Changes())
	}
	md := s.ChangesMarkdown()
	made, failed, _ := strings.Cut(md, "## Tried, failed")
	if !strings.Contains(made, "enabled → enforced (done") || strings.Contains(made, "(failed") || !strings.Contains(failed, "(failed") {
		t.Fatalf("the report mixes tried with made:\n%s", md)
	}
}

// The undo goes back to the state before the run's first MFA change, and
// is not offered once the last landed change is back there.
func TestUndoFollowsTheRecord(t *testing.T) {
	s := NewSession(&fakeJournal{})
	if s.Undo() != nil {
		t.Fatal("an undo with nothing done")
	}
	s.Log.Finish(mfa("disabled", "enabled", journal.Done))
	s.Log.Finish(mfa("enabled", "enforced", journal.Done))
	u := s.Undo()
	if u == nil || u.Before != "disabled" || u.After != "enforced" {
		t.Fatalf("undo %+v", u)
	}
	s.Log.Finish(mfa("enforced", "disabled", journal.Done))
	if s.Undo() != nil {
		t.Fatal("undo offered after the state went back")
	}
}

// An expiring fix always leaves the move to OAuth before its end to do.
func TestExpiringFixLeavesOAuthToDo(t *testing.T) {
	s := NewSession(&fakeJournal{})
	ev := diagnose.Evidence{UPN: "backup@contoso.onmicrosoft.com", Service: diagnose.ServiceSMTP, Now: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC),
		SMTPTest: diagnose.OK("235 2.7.0 Authentication successful"), SMTPTestedAppPassword: true}
	Diagnosed{Evidence: ev, Report: diagnose.Diagnose(ev)}.Record(s)
	left := s.LeftByHand()
	if !slices.ContainsFunc(left, func(l string) bool { return strings.HasPrefix(l, "Move the app to OAuth before 31 December 2026") }) {
		t.Fatalf("left %q", left)
	}
}

// A test reply that rules an app password out brings the way forward into
// the walked plan (the OAuth test is offered) and takes the watch away.
func TestATestReplyDecidesAgain(t *testing.T) {
	s := NewSession(&fakeJournal{})
	s.Target = Target{UPN: "backup@contoso.onmicrosoft.com", Service: diagnose.ServiceSMTP}
	ev := diagnose.Evidence{UPN: s.Target.UPN, Service: diagnose.ServiceSMTP, Caller: s.Target.UPN, Now: time.Date(2027, 1, 12, 9, 0, 0, 0, time.UTC)}
	Diagnosed{Evidence: ev, Report: diagnose.Diagnose(ev)}.Record(s)
	if OAuthTestOffered(s) || !WaitForAppOffered(s) {
		t.Fatalf("before the test: plan %v", s.Plan)
	}
	Tested{Reply: "535 5.7.139 Authentication unsuccessful, basic authentication is disabled."}.Record(s)
	if !OAuthTestOffered(s) || WaitForAppOffered(s) || s.ReportSoFar().AppPasswordCanHelp != diagnose.AnswerNo {
		t.Fatalf("after the test: plan %v, answer %s", s.Plan, s.ReportSoFar().AppPasswordCanHelp)
	}
}

// Apply journals a refusal as failed, with what is true now.
func TestApplyRecordsARefusal(t *testing.T) {
	j := &fakeJournal{}
	log := NewLog(j)
	refused := errors.New("403 Forbidden")
	wr := Write{Change: mfa("enabled", "enforced", ""),
		Landed: func(seen string) bool { return seen == "enforced" }}
	wr.Apply = func(_ context.Context) error { return refused }
	wr.ReadBack = func(_ context.Context) (string, error) { return "enabled", nil }
	ch, err := Apply(context.Background(), context.Background(), log, wr, time.Unix(0, 0), func(e error) string { return e.Error() })
	if !errors.Is(err, refused) || ch.Outcome != journal.Failed || ch.After != "enabled" || len(log.Changes()) != 1 {
		t.Fatalf("change %+v, err %v", ch, err)
	}
}

// The exit status is the record's: unknown outranks failed, and a run
// whose changes landed or were declined ends without error.
func TestEndingFollowsTheRecord(t *testing.T) {
	s := NewSession(&fakeJournal{})
	s.Log.Finish(mfa("enabled", "enforced", journal.Done))
	s.Log.Decline(mfa("enforced", "enabled", ""))
	if err := s.Ending(); err != nil {
		t.Fatalf("made and declined: %v", err)
	}
	s.Log.Finish(mfa("enforced", "enforced", journal.Failed))
	if err := s.Ending(); !errors.Is(err, ErrChangeFailed) {
		t.Fatalf("with a failed change: %v", err)
	}
	s.Log.Finish(mfa("enabled", "enforced", journal.Unknown))
	if err := s.Ending(); !errors.Is(err, ErrChangeUnsure) {
		t.Fatalf("with a change of unknown outcome: %v", err)
	}
}
