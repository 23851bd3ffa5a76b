package steps

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/styles"
)

const backup = "backup@contoso.onmicrosoft.com"

// memJournal keeps journal entries in memory for step tests.
type memJournal struct {
	begun, finished, declined int
	after                     string // of the last Finish
	status                    journal.Outcome
}

func (j *memJournal) Begin(journal.Change) (string, error) { j.begun++; return "j", nil }
func (j *memJournal) Decline(journal.Change) error         { j.declined++; return nil }
func (j *memJournal) Observe(journal.Change) error         { return nil }
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
	cloud, err := demo.Start(sc, demo.Options{Clock: clock.Now, Wait: clock.WaitUntil})
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
		Target: Target{UPN: backup, Service: diagnose.ServiceSMTP, User: u}, Log: flow.NewLog(j)}
	c := &Common{Styles: &st, Width: 96, Now: srv.Now, Cloud: graphclient.Clouds["global"], Auth: client, Graph: client,
		Journal: session.Log, Open: func(string) error { return nil }, Session: session, Ctx: context.Background(),
		StandIns: StandIns{ApproveSignIn: func() { srv.ApproveDeviceCodes() }, CreateAppPassword: srv.CreateAppPassword, AllowAppPasswords: srv.AllowAppPasswords},
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
	deadline := time.After(testkit.Patience(r.t))
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
	if d := r.done(s); d.Result != ModeAdmin || d.Outcome != diagnose.OutcomeDone {
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
	done := r.done(s)
	d := done.Result.(MFAChanged)
	if done.Outcome != diagnose.OutcomeDone || len(d.Changes) != 1 || d.Changes[0].After != "enforced" || r.j.begun != 1 || r.j.finished != 1 {
		t.Fatalf("result %+v journal %+v", done, r.j)
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
	r.until(s, "No change made")
	r.feed(s, press("enter"))
	if d := r.done(s); d.Outcome != diagnose.OutcomeDeclined || len(d.Result.(MFAChanged).Changes) != 0 || r.j.begun != 0 || r.j.declined != 1 {
		t.Fatalf("No changed something, or was not declined: %+v %+v", d, r.j)
	}
	if u, _ := r.srv.User(backup); u.PerUserMFAState != "disabled" {
		t.Fatalf("state %s after No", u.PerUserMFAState)
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
	r.until(s, "Verified: backup@contoso.onmicrosoft.com · sign-in sessions: valid from")
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
	done := r.done(s)
	created := done.Result.(Created)
	if len(created.DemoPassword) != 16 || done.Outcome != diagnose.OutcomeDone {
		t.Fatalf("created %+v", done)
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
	if d := r.done(test); !strings.HasPrefix(d.Result.(Tested).Reply, "235") || d.Outcome != diagnose.OutcomeDone {
		t.Fatalf("done %+v", d)
	}
	// A refused secret ends the step failed, never done.
	r.feed(wrong, press("enter"))
	if d := r.done(wrong); d.Outcome != diagnose.OutcomeFailed {
		t.Fatalf("a refused test ends %s", d.Outcome)
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
	r.c.SuggestedService = diagnose.ServiceSMTP
	r.c.SuggestedUPN = "not an address"
	s := r.start(NewConnection(r.c))
	r.feed(s, press("enter"))
	if v := ansi.Strip((*s).View()); !strings.Contains(v, "invalid user") {
		t.Fatalf("no validation message:\n%s", v)
	}
	r.c.SuggestedUPN = "nobody@contoso.onmicrosoft.com"
	s = r.start(NewConnection(r.c))
	r.feed(s, press("enter"))
	r.until(s, "No account nobody@contoso.onmicrosoft.com")
	r.c.SuggestedUPN = backup
	s = r.start(NewConnection(r.c))
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
	r.c.Session.Log.Finish(journal.Change{ID: "1", Account: backup, AccountID: id, Kind: journal.PerUserMFA, Before: "disabled", After: "enabled", Outcome: journal.Done})
	r.c.Export = func(string, []byte) (string, error) { return "", nil }
	s := r.start(NewSummary(r.c))
	r.feed(s, press("u"))
	r.until(s, "[y/N]")
	r.feed(s, press("y"))
	r.until(s, "Verified: backup@contoso.onmicrosoft.com · per-user MFA: disabled")
	r.feed(s, press("enter"))
	r.until(s, "Undone and verified")
	if u, _ := r.srv.User(backup); u.PerUserMFAState != "disabled" || r.j.begun != 1 {
		t.Fatalf("undo: state %s journal %+v", u.PerUserMFAState, r.j)
	}
}

// Entra keeps a registered account at Enforced: the undo warns before and
// says "not undone" after, never "done".
func TestUndoThatCannotUndoSaysSo(t *testing.T) {
	r := newRig(t, "classic") // backup: enabled, registered
	id := r.c.Session.Target.User.ID
	if err := r.c.Graph.SetPerUserMFAState(context.Background(), id, graphclient.MFAEnforced); err != nil {
		t.Fatal(err)
	}
	r.c.Session.Log.Finish(journal.Change{ID: "1", Account: backup, AccountID: id, Kind: journal.PerUserMFA, Before: "enabled", After: "enforced", Outcome: journal.Done})
	s := r.start(NewSummary(r.c))
	r.feed(s, press("u"))
	r.until(s, "[y/N]")
	if v := ansi.Strip((*s).View()); !strings.Contains(v, "Entra ID keeps an account that has registered") {
		t.Fatalf("no warning before the undo:\n%s", v)
	}
	r.feed(s, press("y"))
	r.until(s, "Not changed")
	r.feed(s, press("enter"))
	r.until(s, "Not undone (failed)")
	if r.j.status != journal.Failed || r.j.after != "enforced" {
		t.Fatalf("journal %+v", r.j)
	}
	// A failed undo is tried, failed: never a change made (issue 21).
	v := ansi.Strip((*s).View())
	made, failed, ok := strings.Cut(v, "Tried, failed")
	if !ok || strings.Contains(made, "enforced → enabled") || !strings.Contains(failed, "enforced → enforced") {
		t.Fatalf("the failed undo is not apart from the changes made:\n%s", v)
	}
}

// The KB's second article: Enabled, no App password option; the remedy
// disables and re-enables, both read back and journaled, then the owner
// goes back to the create screen, where the option now appears.
func TestReEnableRemedy(t *testing.T) {
	r := newRig(t, "option-missing")
	s := r.start(NewCreateAppPassword(r.c))
	r.until(s, "App password option can appear")
	r.feed(s, press("c"))
	r.until(s, "Microsoft's remedy")
	r.feed(s, press("d"))
	d := r.done(s)
	if d.Next != IDReEnable || !d.Result.(Created).OptionMissing || d.Outcome != diagnose.OutcomeUnknown {
		t.Fatalf("create ended %+v", d)
	}
	Record(d.Result, r.c.Session)
	re := r.start(NewReEnable(r.c))
	r.until(re, "[y/N]")
	if v := ansi.Strip((*re).View()); !strings.Contains(v, "enabled → disabled") || !strings.Contains(v, "disabled → enabled") {
		t.Fatalf("the exact changes are not shown:\n%s", v)
	}
	r.feed(re, press("y"))
	r.until(re, "Press enter to go back")
	r.feed(re, press("enter"))
	d = r.done(re)
	if d.Next != IDCreate || d.Outcome != diagnose.OutcomeDone || len(r.c.Session.Made()) != 2 || r.j.begun != 2 || r.j.finished != 2 {
		t.Fatalf("remedy ended %+v, journal %+v", d, r.j)
	}
	Record(d.Result, r.c.Session)
	again := r.start(NewCreateAppPassword(r.c))
	r.until(again, "App password option can appear")
	r.feed(again, press("c"))
	r.until(again, "Simulated Security info page")
}

// The classic procedure is the admin's choice for an account with no MFA,
// with Microsoft's guidance before it.
func TestDiagnosisOffersTheClassicProcedure(t *testing.T) {
	r := newRig(t, "mfa-rollout")
	s := r.start(NewDiagnosis(r.c))
	r.until(s, "classic procedure")
	r.feed(s, press("m"))
	r.until(s, "Conditional Access MFA")
	r.feed(s, press("y"))
	d := r.done(s)
	Record(d.Result, r.c.Session)
	want := []diagnose.StepID{diagnose.StepAllowAppPasswords, diagnose.StepEnableMFA, diagnose.StepEnforceMFA, diagnose.StepSignOut, diagnose.StepCreateAppPassword, diagnose.StepTestAppPassword}
	if !r.c.Session.Rollout || !slices.Equal(r.c.Session.Plan, want) {
		t.Fatalf("plan %v rollout %v", r.c.Session.Plan, r.c.Session.Rollout)
	}
}

func TestAllowOutcomes(t *testing.T) {
	r := newRig(t, "classic")
	s := r.start(NewAllowAppPasswords(r.c))
	r.feed(s, press("enter"))
	if d := r.done(s); d.Outcome != diagnose.OutcomeDeclined {
		t.Fatalf("leave it for later ends %s", d.Outcome)
	}
	s = r.start(NewAllowAppPasswords(r.c))
	r.feed(s, press("y"))
	if d := r.done(s); d.Outcome != diagnose.OutcomeDone {
		t.Fatalf("y ends %s", d.Outcome)
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
	want := "valid from " + before.SessionsValidFrom.UTC().Format(sessionsLayout)
	if r.j.status != journal.Failed || r.j.after != want {
		t.Fatalf("journal: %s %q, want failed %q", r.j.status, r.j.after, want)
	}
}

func TestUnavailableIsNotThrottling(t *testing.T) {
	text, _ := explain(&graphclient.GraphError{Status: 503})
	if !strings.Contains(text, "unavailable") || strings.Contains(text, "throttl") {
		t.Fatalf("a 503 reads %q", text)
	}
}

// A policy that may block on a condition apppass cannot see is never shown
// as "no policy blocks": the readiness line warns instead.
func TestAllowReadinessNeverClearsAPossibleBlock(t *testing.T) {
	r := newRig(t, "classic")
	r.c.Session.Evidence.Policies = diagnose.OK([]diagnose.CAPolicy{})
	r.c.Session.Evidence.SecurityDefaults = diagnose.OK(false)
	r.c.Session.Report = &diagnose.Report{Findings: []diagnose.Finding{{ID: "ca-may-block"}}}
	v := ansi.Strip(NewAllowAppPasswords(r.c).View())
	if strings.Contains(v, "✓ No Conditional Access policy") || !strings.Contains(v, "! No Conditional Access policy") {
		t.Fatalf("readiness:\n%s", v)
	}
}
