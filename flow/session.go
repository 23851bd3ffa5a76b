package flow

import (
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
)

// Mode is whose connection is being fixed.
type Mode int

// The two paths.
const (
	ModeEndUser Mode = iota // my own connection
	ModeAdmin               // an account I administer
)

// Record implements Result.
func (m Mode) Record(s *Session) { s.Mode = m }

// Target is the failing connection.
type Target struct {
	UPN     string
	Service diagnose.Service
	Pasted  string
	User    graphclient.User
}

// Record implements Result.
func (t Target) Record(s *Session) { s.Target = t }

// Ended is how a screen ended.
type Ended struct {
	Outcome diagnose.Outcome
	Detail  string
	// InPlace: found already so, not made by this run.
	InPlace bool
}

// Session is what the wizard knows so far. Screens read it; only the front
// end writes it, with a stage's Result, when the stage is done.
type Session struct {
	Mode     Mode
	Account  graphclient.Account
	Me       graphclient.User
	Tenant   graphclient.Organization
	Roles    []string // role template ids of the signed-in person
	Target   Target
	Evidence diagnose.Evidence
	Report   *diagnose.Report
	// Plan is the plan being walked: the diagnosis's, or the classic
	// procedure when the admin chose to put MFA on the account.
	Plan     []diagnose.StepID
	Rollout  bool
	Outcomes map[ID]Ended
	// Log is the run's record of every change: the journal's records of
	// this run, in order. Changes, the summary and the reports read it.
	Log *Log
	// SMTPReply is the last SMTP AUTH test's reply (never the secret).
	SMTPReply string
	// OAuthResult is the owner's OAuth test: SMTP AUTH's reply to
	// XOAUTH2, or Entra's refusal of the token request (never the token).
	OAuthResult string
	// OptionMissing: the owner reported no "App password" option while
	// per-user MFA read Enabled, so the KB's remedy is offered.
	OptionMissing bool
	// DemoAppPassword is the app password the simulated owner just created,
	// kept in memory only so the demo's test step can offer it.
	DemoAppPassword string
	Guard           *evidence.PasswordGuard
	// ChangedAt is when the app password was created or tested: the app's
	// own sign-ins are watched for from then on.
	ChangedAt time.Time
	// AppWatch is what the waiting screen saw of the app's own sign-in.
	AppWatch *diagnose.AppWatch
	// RuledOut: a reply during the walk decided the verdict again, and an
	// app password cannot help (Replan); the watch for the app is not offered.
	RuledOut bool
}

// NewSession starts a session whose changes go through j and are kept in
// the session's Log.
func NewSession(j Journal) *Session {
	return &Session{Guard: &evidence.PasswordGuard{}, Outcomes: map[ID]Ended{}, Log: NewLog(j)}
}

// Changes is every change this run recorded in the journal, in order:
// made, failed, unknown and declined alike (see Made, Failed, Unsure).
func (s *Session) Changes() []journal.Change {
	if s.Log == nil {
		return nil
	}
	return s.Log.Changes()
}

// Result is what a stage learned; the front end records it in the session.
type Result interface {
	Record(s *Session)
}

// Record writes a stage's result into the session.
func Record(r Result, s *Session) {
	if r != nil {
		r.Record(s)
	}
}

// SignedIn is what the sign-in stage learned.
type SignedIn struct {
	Account graphclient.Account
	Me      graphclient.User
	Tenant  graphclient.Organization
	Roles   []graphclient.DirectoryRole
}

// Record implements Result.
func (r SignedIn) Record(s *Session) {
	s.Account, s.Me, s.Tenant = r.Account, r.Me, r.Tenant
	s.Roles = nil
	for _, role := range r.Roles {
		s.Roles = append(s.Roles, role.TemplateID)
	}
}

// Diagnosed is what the diagnosis stage learned, and the plan chosen: the
// diagnosis's, or the classic procedure when the admin chose to put MFA on
// the account.
type Diagnosed struct {
	Evidence diagnose.Evidence
	Report   diagnose.Report
	Rollout  bool
}

// Record implements Result.
func (r Diagnosed) Record(s *Session) {
	s.Evidence, s.Report, s.Rollout = r.Evidence, &r.Report, r.Rollout
	s.Plan = r.Report.Plan
	if r.Rollout {
		s.Plan = r.Report.Rollout
	}
}

// Created is what the create stage learned.
type Created struct {
	// DemoPassword is set only in the demo, by the simulated owner.
	DemoPassword string
	// OptionMissing: the owner sees no App password option while per-user
	// MFA reads Enabled, so the KB's remedy comes next.
	OptionMissing bool
	// At is when the stage ended: the change the app's own sign-in is
	// watched for follows it.
	At time.Time
}

// Record implements Result.
func (r Created) Record(s *Session) {
	if !r.At.IsZero() {
		s.ChangedAt = r.At
	}
	if r.DemoPassword != "" {
		s.DemoAppPassword = r.DemoPassword
	}
	s.OptionMissing = r.OptionMissing
}

// ReEnabled says the KB's remedy ran (its changes are in the Log).
type ReEnabled struct{}

// Record implements Result.
func (ReEnabled) Record(s *Session) { s.OptionMissing = false }

// Tested is the outcome of the test stage: the server's reply, never the secret.
type Tested struct {
	Reply string
	// At is when the test signed in: its own row in the log is not the app's.
	At time.Time
}

// Record implements Result: the reply is evidence, so the verdict is
// decided again from it (Replan).
func (r Tested) Record(s *Session) {
	if r.Reply != "" {
		s.SMTPReply = r.Reply
	}
	if !r.At.IsZero() {
		// The log keeps whole seconds: the app's rows count from the next one.
		s.ChangedAt = r.At.Truncate(time.Second).Add(time.Second)
	}
	s.Replan()
}

// OAuthTested is the OAuth test's result (never the token).
type OAuthTested struct{ Result string }

// Record implements Result.
func (r OAuthTested) Record(s *Session) { s.OAuthResult = r.Result }

// AppWatched is what the waiting stage saw; nil Watch when skipped.
type AppWatched struct{ Watch *diagnose.AppWatch }

// Record implements Result.
func (r AppWatched) Record(s *Session) { s.AppWatch = r.Watch }
