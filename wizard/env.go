// Package wizard is apppass's root Bubble Tea model: the sequence of
// screens (a state machine the screen table and the diagnosis's plan
// shape), the session, the layout (header with the step bar, a scrolling
// body, footer help) and the global keys.
package wizard

import (
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/steps"
)

// Env is one cloud to work against, real or simulated. Live and demo
// differ only in these values.
type Env struct {
	Cloud   graphclient.Cloud
	Banner  Banner
	Now     func() time.Time
	Connect func(scopes []string) (*graphclient.Client, error)
	SMTP    steps.SMTPTester
	// OAuth tests the way forward for SMTP (XOAUTH2 with the owner's token).
	OAuth steps.OAuthSMTP
	// StandIns are the demo's simulated people; zero when live.
	StandIns steps.StandIns
	Journal  *journal.File
	// ConsentURL is the admin-consent page for the wizard's client.
	ConsentURL string
	// SignIn is how to sign in: the browser or a device code.
	SignIn steps.SignInWay
	// AppName is the app the person approves at sign-in.
	AppName          string
	SuggestedUPN     string
	SuggestedService diagnose.Service
	// Preloaded is evidence a scan read for the suggested account.
	Preloaded *diagnose.Evidence
	// ReturnTo names where esc on the first screen goes back to (the
	// scan's table); empty, the first screen has no back.
	ReturnTo string
	Export   steps.Exporter
	Open     func(url string) error
	Close    func()
	// Wait paces the watch for the app's own sign-in (nil: the real
	// clock); tests move the simulator's clock instead.
	Wait evidence.Wait
}

// Banner says what the header shows: LIVE or DEMO with the scenario.
type Banner struct {
	Demo           bool
	Scenario, AsOf string
}

// Launcher starts an Env: the real cloud, or a simulated scenario.
type Launcher interface {
	// Scenarios lists demo scenarios; nil when live.
	Scenarios() []steps.ScenarioInfo
	// Launch starts the env for a scenario ("" when live).
	Launch(scenario string) (*Env, error)
}
