package wizard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"image/color"

	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/steps"
)

// toEnforce goes from start to the classic scenario's enforce confirmation.
func (h *harness) toEnforce() {
	h.t.Helper()
	h.signInAsAdmin()
	h.press("enter")
	h.waitFor("Can an app password fix this?")
	h.press("enter")
	h.waitFor("tenant setting · no API")
	h.press("y")
	h.waitFor("Make this change? [y/N]")
}

func journalLines(t *testing.T, h *harness) int {
	data, _ := os.ReadFile(filepath.Join(h.launcher.dir, "journal.jsonl"))
	return strings.Count(string(data), "\n")
}

func TestConfirmationDefaultsToNo(t *testing.T) {
	for _, answer := range []string{"n", "enter", "x"} {
		h := newHarness(t, "classic")
		h.toEnforce()
		h.press(answer)
		h.settle()
		if u, _ := h.launcher.srv.User(backup); u.PerUserMFAState != "enabled" {
			t.Fatalf("answer %q changed the state to %s", answer, u.PerUserMFAState)
		}
		if n := journalLines(t, h); n != 0 {
			t.Fatalf("answer %q wrote %d journal lines", answer, n)
		}
	}
}

func TestWritesAreJournaledAndNeverRepeated(t *testing.T) {
	h := newHarness(t, "classic")
	h.toEnforce()
	h.press("y")
	h.waitFor("Verified")
	if n := journalLines(t, h); n != 2 {
		t.Fatalf("journal has %d lines, want begin and finish", n)
	}
	h.press("enter")
	h.waitFor("Sign the account out everywhere?")
	h.press("esc") // back to enforce: it re-reads and finds the change in place
	h.waitFor("already enforced")
	if !strings.Contains(h.frame(), "No change made") {
		t.Fatal("the repeated step did not say no change was made")
	}
	if n := journalLines(t, h); n != 2 {
		t.Fatalf("going back wrote again: %d journal lines", n)
	}
}

func TestBackIsRefusedDuringAWrite(t *testing.T) {
	h := newHarness(t, "classic", simcloud.Fault{Kind: simcloud.FaultLatency, Endpoint: "mfaRequirements", DelayMS: 800})
	h.toEnforce()
	h.press("y")
	h.press("esc")
	if h.m.current.ID() != steps.IDEnforce || !h.m.current.Busy() {
		t.Fatalf("left a running write: now on %s", h.m.current.ID())
	}
	h.waitFor("Verified")
}

func TestCtrlCQuitsEverywhere(t *testing.T) {
	points := map[string]func(h *harness){
		"welcome": func(h *harness) { h.waitFor("Whose connection") },
		"device code": func(h *harness) {
			h.waitFor("Whose connection")
			h.press("down", "enter")
			h.waitFor("enter this code")
		},
		"connection":     func(h *harness) { h.signInAsAdmin() },
		"confirm":        func(h *harness) { h.toEnforce() },
		"during a write": func(h *harness) { h.toEnforce(); h.press("y") },
	}
	for name, reach := range points {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, "classic")
			reach(h)
			h.press("ctrl+c")
			h.settle()
			if !h.quit || !h.m.Cancelled() {
				t.Fatalf("ctrl+c did not quit with cancel (quit %v)", h.quit)
			}
		})
	}
}

func TestHelpKeyAndTyping(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection")
	h.press("?")
	if !h.m.showHelp {
		t.Fatal("? did not open the help")
	}
	h.press("?")
	h.signInAsAdmin()
	h.press("tab", "tab") // to the error field
	h.typeText("why?")
	if h.m.showHelp || !strings.Contains(h.frame(), "why?") {
		t.Fatalf("? in a text field toggled the help instead of typing:\n%s", h.frame())
	}
}

func TestBackgroundColourRebuildsStyles(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection")
	h.deliver(tea.BackgroundColorMsg{Color: color.White})
	if h.m.isDark {
		t.Fatal("a white background was taken for dark")
	}
	h.deliver(tea.BackgroundColorMsg{Color: color.Black})
	if !h.m.isDark {
		t.Fatal("a black background was taken for light")
	}
}

func TestEndUserPath(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection")
	h.press("enter") // my own connection
	h.waitFor("enter this code")
	h.press("a")
	h.waitFor("Signed in")
	h.press("enter")
	h.waitFor("The failing connection")
	if !strings.Contains(h.frame(), "admin@contoso.onmicrosoft.com") {
		t.Fatal("the end-user path did not default to the signed-in account")
	}
	h.press("enter")
	h.waitFor("Can an app password fix this?")
	if !strings.Contains(h.frame(), "needs the") {
		t.Fatalf("checks an end user cannot make do not say which role they need:\n%s", h.frame())
	}
}

func TestSignInRefusals(t *testing.T) {
	cases := map[simcloud.FaultKind]string{
		simcloud.FaultDeviceCodeDeclined: "declined",
		simcloud.FaultDeviceCodeExpired:  "expired",
		simcloud.FaultCABlocksDeviceCode: "Conditional Access blocks this sign-in",
	}
	for fault, want := range cases {
		t.Run(string(fault), func(t *testing.T) {
			h := newHarness(t, "classic", simcloud.Fault{Kind: fault, Times: 1})
			h.waitFor("Whose connection")
			h.press("down", "enter")
			h.waitFor("enter this code")
			h.press("a")
			h.waitFor(want)
			h.press("r") // the fault is used up: a new code works
			h.waitFor("enter this code")
			h.press("a")
			h.waitFor("Signed in")
		})
	}
}

func TestErrorsShowWhereTheyHappen(t *testing.T) {
	h := newHarness(t, "classic")
	h.toEnforce()
	h.launcher.srv.AddFault(simcloud.Fault{Kind: simcloud.FaultMissingRole, Endpoint: "mfaRequirements", Times: 1})
	h.press("y")
	h.waitFor("You lack the role")
	if !strings.Contains(h.frame(), "request-id") {
		t.Fatal("no request id shown for support")
	}
	h.press("r") // re-reads, then asks again
	h.waitFor("Make this change? [y/N]")
	h.press("y")
	h.waitFor("Verified")
}

func TestUnfinishedChangeIsShownAndReRead(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection")
	// A previous run began a change and died before finishing it.
	j := h.m.env.Journal
	if _, err := j.Begin(journal.Change{Time: time.Now(), Account: backup, AccountID: backup, Kind: journal.PerUserMFA, Before: "enabled", After: "enforced"}); err != nil {
		t.Fatal(err)
	}
	h.press("ctrl+r") // restart: a new start reads the journal
	h.waitFor("A previous run stopped during 1 change")
	h.press("down", "enter")
	h.waitFor("enter this code")
	h.press("a")
	h.waitFor("Signed in")
	h.press("enter")
	h.waitFor("from a previous run, re-read")
	if !strings.Contains(h.frame(), "now per-user MFA enabled") {
		t.Fatalf("the real state was not shown:\n%s", h.frame())
	}
	if left, _ := j.Unfinished(); len(left) != 0 {
		t.Fatalf("still unfinished after re-reading: %+v", left)
	}
}
