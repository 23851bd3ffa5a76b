// Package steps holds the wizard's screens, one file each. A step is a small
// component: Update and View, live checks as tea.Cmds that call the narrow
// interfaces below (satisfied by graphclient), and it tells the wizard what
// happened only by messages.
package steps

import (
	"context"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/styles"
)

// Authenticator signs the person in.
type Authenticator interface {
	SignInSilent(ctx context.Context) (graphclient.Account, error)
	StartDeviceCode(ctx context.Context) (*graphclient.DeviceCode, error)
	FinishDeviceCode(ctx context.Context, dc *graphclient.DeviceCode) (graphclient.Account, error)
}

// Graph is every Graph call the screens make.
type Graph interface {
	evidence.Graph
	Me(ctx context.Context) (graphclient.User, error)
	SetPerUserMFAState(ctx context.Context, userID string, state graphclient.MFAState) error
	RevokeSignInSessions(ctx context.Context, userID string) error
	CheckPassword(ctx context.Context, upn, password string) error
}

// SMTPTester tests a credential against SMTP AUTH and returns the reply line.
type SMTPTester func(ctx context.Context, upn, secret string) (string, error)

// DemoControls play the parts of the simulated cloud no API has: the person
// at the browser, the account owner, the portal setting.
type DemoControls interface {
	ApproveDeviceCodes() int
	CreateAppPassword(upn string) (string, error)
	AllowAppPasswords()
}

// Journal records every change to the tenant before and after it is made
// (journal.File satisfies it).
type Journal interface {
	Begin(c journal.Change) (string, error)
	Finish(c journal.Change) error
}

// Mode is whose connection is being fixed.
type Mode int

// The two paths.
const (
	ModeEndUser Mode = iota // my own connection
	ModeAdmin               // an account I administer
)

// Target is the failing connection.
type Target struct {
	UPN     string
	Service diagnose.Service
	Pasted  string
	User    graphclient.User
}

// Session is what the wizard knows so far. Steps read it; only the wizard
// writes it, when a step reports it is done.
type Session struct {
	Mode     Mode
	Account  graphclient.Account
	Me       graphclient.User
	Tenant   graphclient.Organization
	Roles    []string // role template ids of the signed-in person
	Target   Target
	Evidence diagnose.Evidence
	Report   *diagnose.Report
	Changes  []journal.Change
	// SMTPReply is the last SMTP AUTH test's reply (never the secret).
	SMTPReply string
	// DemoAppPassword is the app password the simulated owner just created,
	// kept in memory only so the demo's test step can offer it.
	DemoAppPassword string
	Guard           *evidence.PasswordGuard
}

// Common is what every step shares: styles, the live dependencies, the
// session, the size of the body and a clock.
type Common struct {
	Styles  *styles.Styles
	Width   int
	Height  int
	Now     func() time.Time
	Cloud   graphclient.Cloud
	Auth    Authenticator
	Graph   Graph
	SMTP    SMTPTester
	Journal Journal
	Demo    DemoControls // nil when live
	Open    func(url string) error
	Session *Session
	seq     int
}

// nextSeq numbers step instances, so a late reply never lands on the next screen.
func (c *Common) nextSeq() int {
	c.seq++
	return c.seq
}
