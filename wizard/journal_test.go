package wizard

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/journal"
)

// Issue 22, case 5: a damaged journal made the reader fail and the wizard
// ignored the error, so "a previous run stopped" never showed again. Now
// the change after a torn line is shown, and so is the damage.
func TestDamagedJournalIsShownNotIgnored(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection")
	j := h.m.env.Journal
	if err := os.WriteFile(j.Path(), []byte(`{"id":"20261121T090000-1","what":"perUserMf`+strings.Repeat("x", 70<<10)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Begin(journal.Change{Time: time.Now(), Account: backup, AccountID: backup, Kind: journal.PerUserMFA, Before: "enabled", After: "enforced"}); err != nil {
		t.Fatal(err)
	}
	h.press("ctrl+r") // restart: a new start reads the journal
	h.waitFor("A previous run stopped during 1 change")
	if frame := strings.Join(strings.Fields(h.frame()), " "); !strings.Contains(frame, "1 damaged line(s) that apppass skipped") {
		t.Fatalf("the damage is not shown:\n%s", h.frame())
	}
}
