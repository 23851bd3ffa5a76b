package wizard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"image/color"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/steps"
)

// toEnforce goes from start to the classic scenario's enforce confirmation.
func (h *harness) toEnforce() {
	h.t.Helper()
	h.toDiagnosis()
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
		// No (n, or enter: the default) records the decline; any other key
		// leaves the question open. Neither begins a write.
		data, _ := os.ReadFile(filepath.Join(h.launcher.dir, "journal.jsonl"))
		lines := strings.Count(string(data), "\n")
		want := map[string]int{"n": 1, "enter": 1, "x": 0}[answer]
		if lines != want || strings.Contains(string(data), `"pending"`) || (want == 1 && !strings.Contains(string(data), `"declined"`)) {
			t.Fatalf("answer %q journaled:\n%s", answer, data)
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
	h := newHarness(t, "classic", simcloud.Fault{Kind: simcloud.FaultLatency, Endpoint: "mfaRequirements", DelayMS: 50})
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
			h.waitFor("Waiting for you to sign in")
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

// The end-user path signs the account's owner in (the demo's person at the
// browser plays them), with only the owner's own permissions: the admin
// reads come back "could not check", the answer stays unknown, and the
// owner settles it themselves: create the app password, test it, 235.
func TestEndUserPath(t *testing.T) {
	h := newHarness(t, "classic")
	h.waitFor("Whose connection")
	h.press("enter") // my own connection
	h.waitFor("Waiting for you to sign in")
	if !strings.Contains(h.frame(), "simulated account owner (backup@contoso.onmicrosoft.com)") {
		t.Fatalf("the demo does not say it plays the owner:\n%s", h.frame())
	}
	h.press("a")
	h.waitFor("Signed in")
	if f := h.frame(); !strings.Contains(f, "Backup Service (backup@contoso.onmicrosoft.com)") || !strings.Contains(f, "none (that is fine") {
		t.Fatalf("the owner was not the one signed in:\n%s", f)
	}
	h.press("enter")
	h.waitFor("The failing connection")
	if !strings.Contains(h.frame(), "backup@contoso.onmicrosoft.com") {
		t.Fatalf("the end-user path did not default to the signed-in account:\n%s", h.frame())
	}
	h.press("enter")
	h.waitFor("Can an app password fix this?")
	f := h.frame()
	for _, want := range []string{"✓ Account", "? Per-user MFA state", "could not check: needs the", "you can settle it yourself"} {
		if !strings.Contains(f, want) {
			t.Fatalf("%q missing from the owner's diagnosis:\n%s", want, f)
		}
	}
	h.press("enter")
	h.waitFor("Create the app password")
	h.ownerCreatesAndTests()
	if f := h.frame(); !strings.Contains(f, "App password: Yes, until 31 December 2026") || !strings.Contains(f, "✓ Test: done") {
		t.Fatalf("the owner's test did not settle the answer:\n%s", f)
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
	h.waitFor("Waiting for you to sign in")
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

// The classic procedure, walked whole as the admin's choice: allow, enable,
// enforce, sign-out, create, test, each outcome exactly as it happened.
func TestClassicProcedureRollout(t *testing.T) {
	h := newHarness(t, "mfa-rollout")
	h.signInAsAdmin()
	h.press("enter")
	h.waitFor("classic procedure")
	h.press("m")
	h.waitFor("Conditional Access MFA")
	h.press("y")
	h.waitFor("tenant setting · no API")
	h.press("y")
	h.waitFor("disabled → enabled")
	h.press("y")
	h.waitFor("per-user MFA: enabled")
	h.press("enter")
	h.waitFor("enabled → enforced")
	if !strings.Contains(h.frame(), "Microsoft advises not to enforce") {
		t.Fatalf("no registration warning before enforcing:\n%s", h.frame())
	}
	h.press("y")
	h.waitFor("per-user MFA: enforced")
	h.press("enter")
	h.waitFor("Sign the account out everywhere?")
	h.press("y")
	h.waitFor("sign-in sessions: valid from")
	h.press("enter")
	h.waitFor("by the account owner · no API")
	h.ownerCreatesAndTests()
	for _, want := range []string{"✓ Enable MFA: done", "✓ Enforce MFA: done", "✓ Sign-out: done", "✓ Test: done", "Move the app to OAuth before 31 December 2026"} {
		if !strings.Contains(h.frame(), want) {
			t.Fatalf("summary lacks %q:\n%s", want, h.frame())
		}
	}
	if u, _ := h.launcher.srv.User(backup); u.PerUserMFAState != "enforced" || u.AppPasswords != 1 {
		t.Fatalf("tenant after the walk: %+v", u)
	}
}

// The KB's second article, walked in the wizard: Enforce declined, the
// option missing at create, the remedy, and the create screen again.
func TestOptionMissingRemedyWalk(t *testing.T) {
	h := newHarness(t, "option-missing")
	h.toDiagnosis()
	h.press("enter")
	h.waitFor("tenant setting · no API")
	h.press("y")
	h.waitFor("Make this change? [y/N]")
	h.press("n")
	h.waitFor("No change made")
	h.press("enter")
	h.waitFor("Sign the account out everywhere?")
	h.press("n")
	h.waitFor("No change made")
	h.press("enter")
	h.waitFor("by the account owner · no API")
	h.press("c")
	h.waitFor("Microsoft's remedy")
	h.press("d")
	h.waitFor("enabled → disabled")
	if !strings.Contains(h.frame(), "Re-enable MFA") {
		t.Fatalf("the remedy is not in the step bar:\n%s", h.frame())
	}
	h.press("y")
	h.waitFor("Press enter to go back")
	h.press("enter")
	h.waitFor("by the account owner · no API")
	h.ownerCreatesAndTests()
	for _, want := range []string{"✓ Enforce MFA: done — per-user MFA read back enforced", "– Sign-out: declined", "✓ Re-enable MFA: done", "✓ Test: done", "Force sign-out: declined"} {
		if !strings.Contains(h.frame(), want) {
			t.Fatalf("summary lacks %q:\n%s", want, h.frame())
		}
	}
}

// ownerCreatesAndTests plays the owner on the create screen, tests the new
// app password and goes on to the summary.
func (h *harness) ownerCreatesAndTests() {
	h.t.Helper()
	h.ownerCreatesAndTestsToWaiting()
	h.press("s")
	h.waitFor("Changes made")
}

// ownerCreatesAndTestsToWaiting plays the owner on the create screen and
// tests the new app password, up to the waiting screen.
func (h *harness) ownerCreatesAndTestsToWaiting() {
	h.t.Helper()
	h.press("c")
	h.waitFor("Simulated Security info page")
	h.press("y")
	h.waitFor("Paste the app password")
	h.press("ctrl+d")
	h.waitFor("235 2.7.0")
	h.press("enter")
	h.waitFor("Waiting for the app")
}

// Evidence a scan read is where the diagnosis starts (it says so); r reads
// the account again, live.
func TestDiagnosisStartsFromTheScansEvidence(t *testing.T) {
	ev := diagnose.Evidence{Now: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), UPN: backup, Service: diagnose.ServiceSMTP,
		SecurityDefaults: diagnose.OK(true)}
	l := &testLauncher{t: t, dir: t.TempDir(), preloaded: &ev}
	h := newHarnessWith(t, l, "classic")
	// From the scan, the admin's path is the one chosen already.
	h.waitFor("Whose connection is it?")
	if f := h.frame(); !strings.Contains(f, "› An account I administer") {
		t.Fatalf("from the scan, the admin path should be chosen:\n%s", f)
	}
	h.press("enter")
	h.waitFor("Waiting for you to sign in")
	h.press("a")
	h.waitFor("Signed in")
	h.press("enter")
	h.waitFor("The failing connection")
	h.press("enter")
	h.waitFor("Security defaults are on")
	if f := h.frame(); !strings.Contains(f, "From the scan") {
		t.Fatalf("the scan's evidence was not the start:\n%s", f)
	}
	h.press("r")
	h.waitFor("Can an app password fix this? Yes, until")
}

// Opened from the scan's table, esc on the first screen goes back to the
// table (the wizard ends, not cancelled); opened alone, it does nothing.
func TestEscReturnsToTheScan(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), returnTo: "the scan's table"}
	h := newHarnessWith(t, l, "classic")
	h.waitFor("Whose connection is it?")
	if f := h.frame(); !strings.Contains(f, "esc back to the scan's table") {
		t.Fatalf("the way back is not offered:\n%s", f)
	}
	h.press("esc")
	h.settle()
	if !h.quit || h.m.Cancelled() {
		t.Fatalf("esc did not go back to the table (quit %v, cancelled %v)", h.quit, h.m.Cancelled())
	}

	alone := newHarness(t, "classic")
	alone.waitFor("Whose connection is it?")
	alone.press("esc")
	alone.settle()
	if alone.quit {
		t.Fatal("esc on the first screen of a wizard opened alone ended it")
	}
}
