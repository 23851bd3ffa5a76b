package wizard

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/apppass/apppass/internal/testkit"
)

// e2e runs the real program in teatest's terminal at 120x40 in plain ASCII.
type e2e struct {
	t  *testing.T
	tm *teatest.TestModel
	l  *testLauncher
	m  *Model
}

func startE2E(t *testing.T, scenario string) *e2e {
	l := &testLauncher{t: t, dir: t.TempDir()}
	m := New(l, Options{Scenario: scenario, NoColor: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	return &e2e{t: t, tm: tm, l: l, m: m}
}

// waitFor reads output until the text has been drawn.
func (e *e2e) waitFor(text string) {
	e.t.Helper()
	teatest.WaitFor(e.t, e.tm.Output(), func(b []byte) bool {
		return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(text))
	}, teatest.WithDuration(testkit.Patience(e.t)), teatest.WithCheckInterval(20*time.Millisecond))
}

func (e *e2e) press(keys ...string) {
	for _, k := range keys {
		e.tm.Send(keyMsg(k))
	}
}

func (e *e2e) signIn() {
	e.waitFor("Whose")
	e.press("down", "enter")
	e.waitFor("Waiting for you")
	e.press("a")
	e.waitFor("Signed")
	e.press("enter")
	e.waitFor("failing")
	e.press("enter")
	e.waitFor("fix this?")
}

// finish leaves the summary and returns the final model.
func (e *e2e) finish() *Model {
	e.waitFor("Changes")
	e.press("enter")
	fm := e.tm.FinalModel(e.t, teatest.WithFinalTimeout(testkit.Patience(e.t))).(*Model)
	return fm
}

func TestE2EClassic(t *testing.T) {
	e := startE2E(t, "classic")
	e.signIn()
	before, _ := e.l.srv.User(backup)
	e.press("enter")
	e.waitFor("no API")
	e.press("y")
	e.waitFor("[y/N]")
	e.press("y")
	e.waitFor("Verified")
	e.press("enter")
	e.waitFor("everywhere?")
	e.press("y")
	e.waitFor("valid from")
	e.press("enter")
	e.waitFor("owner")
	e.press("c")
	e.waitFor("Simulated")
	e.press("y")
	e.waitFor("Paste")
	e.press("ctrl+d")
	e.waitFor("235")
	e.press("enter")
	e.waitFor("Waiting for the app")
	e.press("s")
	m := e.finish()
	after, _ := e.l.srv.User(backup)
	if after.PerUserMFAState != "enforced" || !after.SessionsValidFrom.After(before.SessionsValidFrom) || after.AppPasswords != 1 {
		t.Fatalf("simcloud ended in %+v (before %+v)", after, before)
	}
	if len(m.session.Made()) != 2 || m.session.SMTPReply == "" || m.Cancelled() {
		t.Fatalf("session: %+v", m.session)
	}
}

func TestE2ESecurityDefaults(t *testing.T) {
	e := startE2E(t, "security-defaults")
	e.signIn()
	before, _ := e.l.srv.User(backup)
	e.press("enter")
	e.waitFor("Test the way forward")
	e.press("s") // the OAuth test is offered; skipping it changes nothing either
	m := e.finish()
	after, _ := e.l.srv.User(backup)
	if after.PerUserMFAState != before.PerUserMFAState || !after.SessionsValidFrom.Equal(before.SessionsValidFrom) || after.AppPasswords != 0 {
		t.Fatalf("a blocked case changed the tenant: %+v -> %+v", before, after)
	}
	if r := m.session.Report; r == nil || r.AppPasswordCanHelp != "no" {
		t.Fatalf("report %+v", r)
	}
}

func TestE2ESharePointRetired(t *testing.T) {
	e := startE2E(t, "sharepoint-retired")
	e.signIn()
	e.press("enter")
	m := e.finish()
	after, _ := e.l.srv.User(backup)
	if after.PerUserMFAState != "enforced" || after.AppPasswords != 0 || len(m.session.Changes()) != 0 {
		t.Fatalf("state %+v changes %+v", after, m.session.Changes())
	}
	if !strings.Contains(m.session.Report.Cause, "retired on 1 May 2026") {
		t.Fatalf("cause %q", m.session.Report.Cause)
	}
	if w := m.session.Report.WayForward; len(w) != 1 || w[0].ID != "sharepoint-app" {
		t.Fatalf("way forward %+v", w)
	}
}

func TestE2EAdminLacksRevoke(t *testing.T) {
	e := startE2E(t, "admin-lacks-revoke")
	e.signIn()
	before, _ := e.l.srv.User(backup)
	e.press("enter")
	e.waitFor("no API")
	e.press("y")
	e.waitFor("[y/N]")
	e.press("y")
	e.waitFor("Verified")
	e.press("enter")
	e.waitFor("role this step needs")
	e.press("enter")
	e.waitFor("owner")
	e.press("enter")
	e.waitFor("Paste")
	e.press("esc") // back to the create screen, then on without testing
	e.waitFor("owner")
	e.press("enter")
	e.waitFor("Paste")
	e.tm.Send(keyMsg("ctrl+c"))
	m := e.tm.FinalModel(t, teatest.WithFinalTimeout(testkit.Patience(t))).(*Model)
	after, _ := e.l.srv.User(backup)
	if after.PerUserMFAState != "enforced" || !after.SessionsValidFrom.Equal(before.SessionsValidFrom) {
		t.Fatalf("revoke happened without the role, or MFA unchanged: %+v -> %+v", before, after)
	}
	if !m.Cancelled() {
		t.Fatal("ctrl+c did not cancel")
	}
}

const backup = "backup@contoso.onmicrosoft.com"
