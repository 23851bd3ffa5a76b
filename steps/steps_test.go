package steps

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/styles"
)

const backup = "backup@contoso.onmicrosoft.com"

// memJournal keeps journal entries in memory for step tests.
type memJournal struct {
	begun, finished int
	after           string // of the last Finish
	status          journal.Outcome
}

func (j *memJournal) Begin(journal.Change) (string, error) { j.begun++; return "j", nil }
func (j *memJournal) Finish(c journal.Change) error {
	j.finished++
	j.after, j.status = c.After, c.Outcome
	return nil
}

// rig is one signed-in admin session against a simulated tenant.
type rig struct {
	t     *testing.T
	srv   *simcloud.Server
	clock *simcloud.ManualClock
	c     *Common
	j     *memJournal
	msg   chan tea.Msg
}

func newRig(t *testing.T, scenario string) *rig {
	sc, err := simcloud.LoadScenario(scenario)
	if err != nil {
		t.Fatal(err)
	}
	clock := simcloud.NewManualClock(sc.AsOfTime())
	cloud, err := demo.Start(sc, demo.Options{Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	srv := cloud.Server
	cloud.Config.Retry = graphclient.RetryPolicy{MaxRetries: 1, MaxWait: time.Second}
	ctx := context.Background()
	client, err := cloud.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := client.User(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	st := styles.New(true, true)
	j := &memJournal{}
	session := &Session{Mode: ModeAdmin, Roles: []string{diagnose.RoleGlobalAdmin}, Guard: &evidence.PasswordGuard{},
		Target: Target{UPN: backup, Service: diagnose.ServiceSMTP, User: u}}
	c := &Common{Styles: &st, Width: 96, Height: 24, Now: srv.Now, Cloud: graphclient.Clouds["global"], Auth: client, Graph: client,
		Journal: j, Demo: srv, Open: func(string) error { return nil }, Session: session,
		SMTP: func(_ context.Context, upn, secret string) (string, error) {
			return srv.SMTPAuth(upn, secret), nil // the tenant decides, as over the wire
		}}
	return &rig{t: t, srv: srv, clock: clock, c: c, j: j, msg: make(chan tea.Msg, 64)}
}

func (r *rig) exec(cmd tea.Cmd) {
	if cmd != nil {
		go func() { r.msg <- cmd() }()
	}
}

// until feeds a step its messages until its view contains text. The step
// finishing first, or the text never coming, fails the test.
func (r *rig) until(s *Step, text string) {
	r.t.Helper()
	if d := r.next(s, func() bool { return strings.Contains(ansi.Strip((*s).View()), text) }); d != nil {
		r.t.Fatalf("the step finished (%+v) before %q appeared in:\n%s", *d, text, ansi.Strip((*s).View()))
	}
}

// next feeds a step its messages until cond holds (nil) or the step is done.
func (r *rig) next(s *Step, cond func() bool) *DoneMsg {
	r.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if cond() {
			return nil
		}
		select {
		case m := <-r.msg:
			if d, ok := m.(DoneMsg); ok {
				return &d
			}
			r.feed(s, m)
		case <-deadline:
			r.t.Fatalf("timed out waiting in:\n%s", ansi.Strip((*s).View()))
		}
	}
}

func (r *rig) feed(s *Step, m tea.Msg) {
	switch m := m.(type) {
	case tea.BatchMsg:
		for _, c := range m {
			r.exec(c)
		}
	case nil:
	default:
		var cmd tea.Cmd
		*s, cmd = (*s).Update(m)
		r.exec(cmd)
	}
}

// done waits for the step's DoneMsg.
func (r *rig) done(s *Step) DoneMsg {
	r.t.Helper()
	return *r.next(s, func() bool { return false })
}

func press(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	return tea.KeyPressMsg{Code: rune(k[0]), Text: k}
}

func typeText(r *rig, s *Step, text string) {
	for _, ch := range text {
		r.feed(s, tea.KeyPressMsg{Code: ch, Text: string(ch)})
	}
}

func (r *rig) start(s Step) *Step {
	r.exec(s.Init())
	return &s
}

func TestWelcomeReportsTheChosenMode(t *testing.T) {
	r := newRig(t, "classic")
	s := r.start(NewWelcome(r.c))
	r.feed(s, press("down"))
	r.feed(s, press("enter"))
	if d := r.done(s); d.Result != ModeAdmin {
		t.Fatalf("result %v", d.Result)
	}
}

func TestMFAChangeConfirmWriteVerify(t *testing.T) {
	r := newRig(t, "classic")
	s := r.start(NewEnforceMFA(r.c))
	r.until(s, "[y/N]")
	if !strings.Contains(ansi.Strip((*s).View()), "enabled → enforced") {
		t.Fatal("the exact change is not shown")
	}
	r.feed(s, press("y"))
	if !(*s).Busy() {
		t.Fatal("a running write is not busy")
	}
	r.until(s, "Verified")
	r.feed(s, press("enter"))
	d := r.done(s).Result.(MFAChanged)
	if d.After != graphclient.MFAEnforced || r.j.begun != 1 || r.j.finished != 1 {
		t.Fatalf("result %+v journal %+v", d, r.j)
	}
	// A second visit finds the change in place and writes nothing.
	s = r.start(NewEnforceMFA(r.c))
	r.until(s, "already enforced")
	if r.j.begun != 1 {
		t.Fatal("the repeat wrote")
	}
}

func TestEnforceWarnsBeforeRegistration(t *testing.T) {
	r := newRig(t, "wrong-password") // backup: disabled, password only
	s := r.start(NewEnforceMFA(r.c))
	r.until(s, "[y/N]")
	if !strings.Contains(ansi.Strip((*s).View()), "Microsoft advises not to enforce MFA") {
		t.Fatalf("no warning:\n%s", ansi.Strip((*s).View()))
	}
	r.feed(s, press("n"))
	if d := r.done(s).Result.(MFAChanged); d.After != graphclient.MFADisabled || r.j.begun != 0 {
		t.Fatalf("No changed something: %+v", d)
	}
}

func TestMissingRoleOffersTheNote(t *testing.T) {
	r := newRig(t, "classic")
	r.c.Session.Roles = nil
	rep := diagnose.Diagnose(diagnose.Evidence{Now: r.srv.Now(), Service: diagnose.ServiceSMTP, UPN: backup})
	r.c.Session.Report = &rep
	for _, mk := range []func(*Common) Step{NewEnableMFA, NewSignOut, NewAllowAppPasswords} {
		s := r.start(mk(r.c))
		r.until(s, "role")
		r.feed(s, press("n"))
		if v := ansi.Strip((*s).View()); !strings.Contains(v, "Hello,") {
			t.Fatalf("%s: no admin note:\n%s", (*s).ID(), v)
		}
	}
}

func TestSignOutRevokesAndPolls(t *testing.T) {
	r := newRig(t, "classic")
	before, _ := r.srv.User(backup)
	r.clock.Advance(time.Minute)
	s := r.start(NewSignOut(r.c))
	r.until(s, "cannot be undone")
	r.feed(s, press("y"))
	r.until(s, "Verified: sessions")
	after, _ := r.srv.User(backup)
	if !after.SessionsValidFrom.After(before.SessionsValidFrom) || r.j.begun != 1 {
		t.Fatalf("revoke not made or not journaled: %v %+v", after.SessionsValidFrom, r.j)
	}
}

func TestCreateAndTest(t *testing.T) {
	r := newRig(t, "classic")
	s := r.start(NewCreateAppPassword(r.c))
	r.until(s, "App password option can appear")
	r.feed(s, press("c"))
	r.until(s, "Simulated Security info page")
	r.feed(s, press("y"))
	created := r.done(s).Result.(Created)
	if len(created.DemoPassword) != 16 || !created.Confirmed {
		t.Fatalf("created %+v", created)
	}
	wrong := r.start(NewTestAppPassword(r.c))
	typeText(r, wrong, "abcdefghijklmnop")
	r.feed(wrong, press("enter"))
	r.until(wrong, "535 5.7.3") // the rig's SMTP checks the secret
	test := r.start(NewTestAppPassword(r.c))
	typeText(r, test, created.DemoPassword)
	if strings.Contains(ansi.Strip((*test).View()), created.DemoPassword) {
		t.Fatal("the app password is shown while typed")
	}
	r.feed(test, press("enter"))
	r.until(test, "235 2.7.0")
	r.feed(test, press("enter"))
	if d := r.done(test).Result.(Tested); !strings.HasPrefix(d.Reply, "235") {
		t.Fatalf("reply %q", d.Reply)
	}
}

func TestTestExplainsRetiredServices(t *testing.T) {
	r := newRig(t, "sharepoint-retired")
	r.c.Session.Target.Service = diagnose.ServiceSharePoint
	s := r.start(NewTestAppPassword(r.c))
	if v := ansi.Strip((*s).View()); !strings.Contains(v, "retired on 1 May 2026") {
		t.Fatalf("no explanation:\n%s", v)
	}
}

func TestConnectionValidatesAndLooksUp(t *testing.T) {
	r := newRig(t, "classic")
	s := r.start(NewConnection(r.c, "not an address", diagnose.ServiceSMTP))
	r.feed(s, press("enter"))
	if v := ansi.Strip((*s).View()); !strings.Contains(v, "invalid user") {
		t.Fatalf("no validation message:\n%s", v)
	}
	s = r.start(NewConnection(r.c, "nobody@contoso.onmicrosoft.com", diagnose.ServiceSMTP))
	r.feed(s, press("enter"))
	r.until(s, "No account nobody@contoso.onmicrosoft.com")
	s = r.start(NewConnection(r.c, backup, diagnose.ServiceSMTP))
	r.feed(s, press("enter"))
	if d := r.done(s).Result.(Target); d.User.ID == "" || d.Service != diagnose.ServiceSMTP {
		t.Fatalf("target %+v", d)
	}
}

func TestDiagnosisFillsTheChecklist(t *testing.T) {
	r := newRig(t, "classic")
	s := r.start(NewDiagnosis(r.c))
	r.until(s, "Can an app password fix this?")
	r.feed(s, press("enter"))
	d := r.done(s).Result.(Diagnosed)
	if d.Report.AppPasswordCanHelp != diagnose.AnswerUntil || !d.Evidence.Account.Known() {
		t.Fatalf("diagnosed %+v", d.Report)
	}
}

func TestSummaryUndo(t *testing.T) {
	r := newRig(t, "wrong-password") // unregistered: Enabled stays Enabled
	ctx := context.Background()
	id := r.c.Session.Target.User.ID
	if err := r.c.Graph.SetPerUserMFAState(ctx, id, graphclient.MFAEnabled); err != nil {
		t.Fatal(err)
	}
	r.c.Session.Changes = []journal.Change{{ID: "1", Account: backup, AccountID: id, Kind: journal.PerUserMFA, Before: "disabled", After: "enabled", Outcome: journal.Done}}
	s := r.start(NewSummary(r.c, nil, func(string, []byte) (string, error) { return "", nil }))
	r.feed(s, press("u"))
	r.until(s, "[y/N]")
	r.feed(s, press("y"))
	r.until(s, "read back per-user MFA disabled")
	if u, _ := r.srv.User(backup); u.PerUserMFAState != "disabled" || r.j.begun != 1 {
		t.Fatalf("undo: state %s journal %+v", u.PerUserMFAState, r.j)
	}
}

// A refused revoke records the sessions' real state, read back, not "revoked".
func TestFailedSignOutRecordsTheStateReadBack(t *testing.T) {
	r := newRig(t, "classic")
	before, _ := r.srv.User(backup)
	s := r.start(NewSignOut(r.c))
	r.until(s, "cannot be undone")
	r.srv.AddFault(simcloud.Fault{Kind: simcloud.FaultMissingRole, Endpoint: "revokeSessions", Times: 1})
	r.feed(s, press("y"))
	r.until(s, "role or permission")
	want := "sessions valid from " + before.SessionsValidFrom.Format(time.RFC3339)
	if r.j.status != "failed" || r.j.after != want {
		t.Fatalf("journal: %s %q, want failed %q", r.j.status, r.j.after, want)
	}
}

func TestUnavailableIsNotThrottling(t *testing.T) {
	text, _ := explain(&graphclient.GraphError{Status: 503})
	if !strings.Contains(text, "unavailable") || strings.Contains(text, "throttl") {
		t.Fatalf("a 503 reads %q", text)
	}
}
