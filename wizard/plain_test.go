package wizard

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
)

// scripted answers plain questions from a list, as a person would type them.
type scripted struct {
	answers []string
	asked   []string
}

func (s *scripted) next(q string) (string, error) {
	s.asked = append(s.asked, q)
	if len(s.answers) == 0 {
		return "", context.Canceled // ctrl+c: nothing left to say
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return a, nil
}

func (s *scripted) Line(q string) (string, error)   { return s.next(q) }
func (s *scripted) Secret(q string) (string, error) { return s.next(q) }

// runPlain walks the plain wizard for a scenario with scripted answers.
func runPlain(t *testing.T, scenario string, answers ...string) (*testLauncher, string, error) {
	t.Helper()
	return runPlainWith(t, &testLauncher{t: t, dir: t.TempDir()}, scenario, answers...)
}

// runPlainWith walks the plain wizard with a launcher of the test's own.
func runPlainWith(t *testing.T, l *testLauncher, scenario string, answers ...string) (*testLauncher, string, error) {
	t.Helper()
	ctx := testkit.Context(t)
	var out bytes.Buffer
	ask := &scripted{answers: answers}
	err := RunPlain(ctx, l, scenario, ask, &out)
	if err != nil { // say what was asked, for the failure's message
		out.WriteString("\nasked: " + strings.Join(ask.asked, " | "))
	}
	return l, out.String(), err
}

// Plain mode remediates: the classic admin path to a tested app password,
// every change confirmed, read back and journaled.
func TestPlainModeRemediates(t *testing.T) {
	l, out, err := runPlain(t, "classic", "y", "", "", "", "", "y", "y", "y", "y", "y", "n", "", "", "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"Verified: backup@contoso.onmicrosoft.com · per-user MFA: enforced", "✓ Sign-out: done",
		"235 2.7.0", "✓ Test: done", "Left to do by hand: Move the app to OAuth before 31 December 2026"} {
		if !strings.Contains(out, want) {
			t.Fatalf("plain output lacks %q:\n%s", want, out)
		}
	}
	if u, _ := l.srv.User(backup); u.PerUserMFAState != "enforced" || u.AppPasswords != 1 {
		t.Fatalf("tenant: %+v", u)
	}
}

// Every confirmation defaults to No: empty answers change nothing.
func TestPlainModeDefaultsToNo(t *testing.T) {
	l, out, err := runPlain(t, "classic", "y", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if u, _ := l.srv.User(backup); u.PerUserMFAState != "enabled" || u.AppPasswords != 0 {
		t.Fatalf("empty answers changed the tenant: %+v\n%s", u, out)
	}
	if !strings.Contains(out, "– Enforce MFA: declined") {
		t.Fatalf("no declined outcome:\n%s", out)
	}
}

// Ctrl+c at any prompt ends the run as cancelled.
func TestPlainModeCtrlC(t *testing.T) {
	for n := range 7 {
		answers := []string{"y", "", "", "", "", "y", "y"}[:n]
		if _, out, err := runPlain(t, "classic", answers...); !errors.Is(err, context.Canceled) {
			t.Fatalf("ctrl+c after %d answers: %v\n%s", n, err, out)
		}
	}
}

// The KB's remedy is there in plain mode too.
func TestPlainModeRemedy(t *testing.T) {
	// admin; defaults; allow y; enforce n; sign-out n; demo create y (refused)
	// -> offered? n -> remedy y; confirm y; create again y; test y
	l, out, err := runPlain(t, "option-missing", "y", "", "", "", "", "y", "n", "n", "y", "n", "y", "y", "y", "y", "", "", "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"Verified: backup@contoso.onmicrosoft.com · per-user MFA: disabled", "✓ Re-enable MFA: done", "235 2.7.0"} {
		if !strings.Contains(out, want) {
			t.Fatalf("plain output lacks %q:\n%s", want, out)
		}
	}
	if u, _ := l.srv.User(backup); u.AppPasswords != 1 {
		t.Fatalf("tenant: %+v", u)
	}
	// Issue 21, case 6: the remedy read back enforced, so Enforce is done,
	// not left to do, whatever was answered on its own stage.
	if strings.Contains(out, "Left to do by hand: Enforce") || !strings.Contains(out, "Enforce per-user MFA (per-user MFA read back enforced)") {
		t.Fatalf("the summary does not follow the read-back:\n%s", out)
	}
}

// Plain mode signs in in the browser, showing the page's address; a
// browser sign-in that fails offers a device code, which signs in.
func TestPlainModeSignInFallsBackToACode(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), faults: []simcloud.Fault{{Kind: simcloud.FaultSignInDeclined, Endpoint: "authorize", Times: 1}}}
	ctx := testkit.Context(t)
	var out bytes.Buffer
	// admin?, enter plays the browser, "y" takes the code, enter approves it; then the answers run out.
	err := RunPlain(ctx, l, "classic", &scripted{answers: []string{"y", "", "y", ""}}, &out)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"/oauth2/v2.0/authorize?", "The consent was declined (AADSTS65004)", "enter the code", "Signed in as Megan Bowen"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("plain output lacks %q:\n%s", want, out.String())
		}
	}
}

// Plain mode offers the OAuth route's test where an app password cannot
// help: the owner signs in, XOAUTH2 is accepted, and the summary says so.
func TestPlainModeOAuthTest(t *testing.T) {
	// admin?, enter plays the admin's browser, connection defaults, "y" tests, enter plays the owner's browser.
	_, out, err := runPlain(t, "security-defaults", "y", "", "", "", "", "y", "", "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"SMTP AUTH with OAuth (XOAUTH2): when", "login_hint=backup%40", "235 2.7.0", "✓ OAuth test: done"} {
		if !strings.Contains(out, want) {
			t.Fatalf("plain output lacks %q:\n%s", want, out)
		}
	}
}

// Plain mode waits for the app too: the demo's owner types the app
// password into the app, and the app's own next sign-in is said and kept.
func TestPlainModeWaitsForTheApp(t *testing.T) {
	sc, _ := simcloud.LoadScenario("classic")
	l := &testLauncher{t: t, dir: t.TempDir(), clock: simcloud.NewManualClock(sc.AsOfTime())}
	_, out, err := runPlainWith(t, l, "classic", "y", "", "", "", "", "y", "y", "y", "y", "y", "y", "15", "", "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"non-interactive tabs", "5 requests per 10 s", "verified at the app at", "from 203.0.113.24", "✓ At the app: done"} {
		if !strings.Contains(out, want) {
			t.Fatalf("plain output lacks %q:\n%s", want, out)
		}
	}
}
