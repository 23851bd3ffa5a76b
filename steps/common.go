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
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/styles"
)

// Authenticator signs the person in (flow's; the screens draw its sign-in).
type Authenticator = flow.Authenticator

// SignInWay is how the sign-in screen signs the person in (flow's).
type SignInWay = flow.SignInWay

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

// OAuthClient signs a person in for SMTP.Send and hands out the token (flow's).
type OAuthClient = flow.OAuthClient

// OAuthSMTP tests the way forward for SMTP (flow's one OAuth test).
type OAuthSMTP = flow.OAuthSMTP

// StandIns play the people and pages no API can drive: the person at the
// browser, the account owner on Security info, the admin on the legacy MFA
// page. The demo's environment hands the simulated cloud's in; live, each
// is nil and the screen says what to do by hand.
type StandIns struct {
	// SignInAs makes the simulated person at the browser the admin or the
	// account owner, as the path taken asks, and returns their UPN.
	SignInAs func(Mode) string
	// ApproveSignIn has that person sign in now: a device code, or the
	// page the browser sign-in opened.
	ApproveSignIn     func()
	CreateAppPassword func(upn string) (string, error)
	AllowAppPasswords func()
	// TypeIntoApp plays the owner typing a secret into the simulated app.
	TypeIntoApp func(secret string) error
}

// Journal records every change to the tenant (flow's Journal).
type Journal = flow.Journal

// Target is the failing connection.
type Target = flow.Target

// Session is what the wizard knows so far (flow's): steps read it; only
// the wizard writes it, when a step reports it is done.
type Session = flow.Session

// Ended is how a screen ended.
type Ended = flow.Ended

// Common is what every step shares: the program's context, styles, the live
// dependencies, the session, the size of the body and a clock.
type Common struct {
	Ctx     context.Context
	Styles  *styles.Styles
	Width   int
	Now     func() time.Time
	Cloud   graphclient.Cloud
	Auth    Authenticator
	Graph   Graph
	SMTP    SMTPTester
	OAuth   OAuthSMTP
	Journal Journal
	// StandIns are the demo's simulated people; zero when live.
	StandIns StandIns
	Open     func(url string) error
	Export   Exporter
	// ConsentURL is the admin-consent page for apppass's client.
	ConsentURL string
	// SignIn is how to sign in.
	SignIn SignInWay
	// AppName is the app the person approves at sign-in.
	AppName string
	// Suggested pre-fills the connection screen (the demo's account, or
	// the account chosen in a scan).
	SuggestedUPN     string
	SuggestedService diagnose.Service
	// Preloaded is evidence a scan already read for the suggested account:
	// the diagnosis starts from it (saying so) instead of reading again.
	Preloaded *diagnose.Evidence
	Session   *Session
	// Wait paces the watch for the app's own sign-in (nil: the real
	// clock); tests move a simulated clock instead.
	Wait evidence.Wait
	// Shown are the commands and addresses the last View drew on lines of
	// their own, whole (a cut one too): what the wizard's c copies. The
	// wizard empties it before each View.
	Shown []string
}
