package wizard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/simcloud"
)

// body is the current screen's whole body, ANSI stripped and unwrapped:
// what scrolling would show.
func (h *harness) body() string {
	return strings.Join(strings.Fields(normalize(ansi.Strip(h.m.current.View()))), " ")
}

// startClock is a harness for scenario at 80x24 on the simulator's manual
// clock, which the watch for the app's sign-in moves instead of waiting.
func startClock(t *testing.T, scenario string, mutate func(*simcloud.Scenario)) *harness {
	t.Helper()
	sc, err := simcloud.LoadScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	l := &testLauncher{t: t, dir: t.TempDir(), deviceCode: true, mutate: mutate, clock: simcloud.NewManualClock(sc.AsOfTime())}
	h := newHarnessWith(t, l, scenario)
	h.deliver(windowSize(80, 24))
	return h
}

// toWaitingScreen walks classic's admin path through create and test to
// the waiting screen.
func (h *harness) toWaitingScreen() {
	h.t.Helper()
	h.toDiagnosis()
	h.press("enter")
	h.waitFor("tenant setting · no API")
	h.press("y")
	h.waitFor("Make this change? [y/N]")
	h.press("y")
	h.waitFor("Verified")
	h.press("enter")
	h.waitFor("Sign the account out everywhere?")
	h.press("y")
	h.waitFor("sign-in sessions: valid from")
	h.press("enter")
	h.waitFor("App password option can appear")
	h.ownerCreatesAndTestsToWaiting()
}

// classic at 80x24: create, test, wait, and the demo's stand-in types the
// new app password into the app; the app's own next run arrives in the log
// and the loop closes: "the app itself now signs in", from its address,
// recorded in the summary, the reports, the admin note and the journal.
func TestClassicWaitsForTheAppItself(t *testing.T) {
	h := startClock(t, "classic", nil)
	h.toWaitingScreen()
	for _, want := range []string{"non-interactive tabs", "per app per tenant", "publishes no figure for it"} {
		if !strings.Contains(h.body(), want) {
			t.Errorf("the waiting screen does not say %q:\n%s", want, h.body())
		}
	}
	h.press("ctrl+d")
	h.waitFor("✓ verified at the app at")
	h.golden("30-waiting-app-through")
	h.reachable()
	h.press("enter")
	h.waitFor("Summary  backup")
	w := h.m.session.AppWatch
	if w == nil || w.Result != diagnose.WatchThrough || w.SignIn.IPAddress != "203.0.113.24" {
		t.Fatalf("session: %+v", w)
	}
	if !strings.Contains(h.body(), "At the app: verified at the app at") || !strings.Contains(h.body(), "At the app: done") {
		t.Errorf("the summary does not say it:\n%s", h.body())
	}
	r := h.m.session.ReportSoFar()
	for name, out := range map[string]string{"markdown": r.Markdown(), "note": r.AdminNote(), "text": r.Text()} {
		if !strings.Contains(out, "verified at the app at") || !strings.Contains(out, "from 203.0.113.24") {
			t.Errorf("%s lacks the proof at the app:\n%s", name, out)
		}
	}
	journal, _ := os.ReadFile(filepath.Join(h.launcher.dir, "journal.jsonl"))
	if !strings.Contains(string(journal), `"what":"appSignIn"`) || !strings.Contains(string(journal), "verified at the app") {
		t.Errorf("the journal lacks the app's sign-in:\n%s", journal)
	}
	if strings.Contains(string(journal), h.m.session.DemoAppPassword) {
		t.Error("the journal holds the app password")
	}
}

// The app still holds an old password: its own sign-in fails with 50126
// from the app's address, and the advice is to type the new app password
// in; the verdict is re-decided with the row and what is left says so.
func TestTheAppStillHoldsAnOldPassword(t *testing.T) {
	h := startClock(t, "classic", func(sc *simcloud.Scenario) { sc.App.Secret = "Backup-Sim-2025!" })
	h.toWaitingScreen()
	h.waitFor("AADSTS50126")
	f := h.body()
	for _, want := range []string{"from 203.0.113.24", "still holds an old password", "Still watching"} {
		if !strings.Contains(f, want) {
			t.Errorf("the frame lacks %q:\n%s", want, f)
		}
	}
	h.golden("31-waiting-app-old-password")
	h.press("enter")
	h.waitFor("Summary  backup")
	if w := h.m.session.AppWatch; w == nil || w.Result != diagnose.WatchFailed || w.SignIn.ErrorCode != 50126 {
		t.Fatalf("session: %+v", w)
	}
	r := h.m.session.ReportSoFar()
	if !strings.Contains(r.Markdown(), "sign-in-50126") || !strings.Contains(strings.Join(h.m.session.LeftByHand(), "\n"), "still holds an old password") {
		t.Errorf("the 50126 did not re-decide the report or what is left:\n%s\n%v", r.Markdown(), h.m.session.LeftByHand())
	}
}

// The screen never holds the person: enter before any read records that
// nothing could be checked (never "not seen"), s skips.
func TestWaitingNeverHoldsThePerson(t *testing.T) {
	h := startClock(t, "classic", nil)
	h.toWaitingScreen()
	h.press("enter")
	h.waitFor("Summary  backup")
	if w := h.m.session.AppWatch; w == nil || w.Result != diagnose.WatchUnchecked {
		t.Fatalf("finished before a read: %+v", w)
	}
	h = startClock(t, "classic", nil)
	h.toWaitingScreen()
	h.press("s")
	h.waitFor("Summary  backup")
	if h.m.session.AppWatch != nil || h.m.session.Outcomes["wait-for-app"].Outcome != diagnose.OutcomeSkipped {
		t.Fatalf("skipped: %+v", h.m.session.Outcomes["wait-for-app"])
	}
}

// A log the admin may not read: "could not check", never a success,
// though the app gets through.
func TestWaitingWhenTheLogCannotBeRead(t *testing.T) {
	h := startClock(t, "classic", nil)
	h.toWaitingScreen()
	h.launcher.srv.AddFault(simcloud.Fault{Kind: simcloud.FaultMissingRole, Endpoint: "signIns"})
	h.press("ctrl+d")
	h.waitFor("could not check")
	h.press("enter")
	h.waitFor("Summary  backup")
	if w := h.m.session.AppWatch; w == nil || w.Result != diagnose.WatchUnchecked || !strings.Contains(w.Why, "role") {
		t.Fatalf("%+v", w)
	}
}
