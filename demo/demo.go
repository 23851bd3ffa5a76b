// Package demo starts the simulated Microsoft cloud (simcloud) for a
// scenario and hands back plain values that point apppass's real sign-in,
// Graph and SMTP code at it. It is the only package outside the tests that
// imports simcloud: `apppass demo`, `diagnose --demo`, `apppass scenarios`
// and every test that needs a signed-in client start the simulator here.
package demo

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/smtpauth"
)

// DefaultScenario is the scenario a demo runs when none is named.
const DefaultScenario = "classic"

// Scenarios lists the shipped scenarios.
func Scenarios() ([]*simcloud.Scenario, error) { return simcloud.Scenarios() }

// Load reads the scenario a demo runs: the file when one is given, else the
// shipped scenario name (DefaultScenario when empty). ctx cancels reading
// a file.
func Load(ctx context.Context, name, file string) (*simcloud.Scenario, error) {
	if file != "" {
		return simcloud.LoadScenarioFile(ctx, file)
	}
	if name == "" {
		name = DefaultScenario
	}
	return simcloud.LoadScenario(name)
}

// ParseFaults reads --fault specs (KIND[:ENDPOINT[:TIMES]]).
func ParseFaults(specs []string) ([]simcloud.Fault, error) {
	var faults []simcloud.Fault
	for _, spec := range specs {
		f, err := simcloud.ParseFault(spec)
		if err != nil {
			return nil, err
		}
		faults = append(faults, f)
	}
	return faults, nil
}

// Options tune a started cloud. The zero value suits tests: device codes
// wait for an approval, throttling asks for no wait, the clock runs from
// the scenario's "as of" date.
type Options struct {
	// ApproveAfter approves each device code this long after it is issued
	// (0: only Server.ApproveDeviceCodes or SignIn approves).
	ApproveAfter time.Duration
	// RetryAfter is the Retry-After (whole seconds) of throttling faults.
	RetryAfter int
	// Clock is the simulated time (nil: a simcloud.RunningClock from the
	// scenario's "as of" date, which runs with real time and jumps over the
	// waits Graph's limits ask of the client).
	Clock func() time.Time
	// Wait is the client's wait on Clock (with Clock). Give the clock's
	// own (ManualClock.WaitUntil): the server's rate limits refill on Clock,
	// and a client waiting on real time for a clock that does not move
	// gets an error, not a hang.
	Wait func(ctx context.Context, until time.Time) error
	// Faults are added to the scenario's own.
	Faults []simcloud.Fault
	// Port is the HTTPS port on 127.0.0.1 (0: a free one).
	Port int
	// SignInPage makes the authorize page ask for a name and password, as
	// Entra's does (apppass simcloud, for other clients). Otherwise the
	// simulated person at the browser signs in as soon as the page opens.
	SignInPage bool
}

// Cloud is a started simulated cloud and how to talk to it. Only these
// values differ from a live run: never an "if demo" in the code they feed.
type Cloud struct {
	// Server plays what no API reaches (the account owner, approving a
	// device code) and lets tests set faults and read the tenant.
	Server *simcloud.Server
	// Config points graphclient at the simulator. It has no CachePath:
	// tokens stay in the run's memory, so demos side by side never share,
	// overwrite or delete each other's sign-ins. Callers may adjust it.
	Config graphclient.Config
	// SMTP points smtpauth at the simulator's SMTP AUTH server.
	SMTP smtpauth.Config
	// Admin is who signs in on the admin path; Account is the UPN whose
	// app gets 401, who signs in on the end-user path.
	Admin, Account string
	// CertificatePEM is the simulator's TLS certificate, for clients in
	// other processes to trust (Config and SMTP trust it already).
	CertificatePEM []byte
	// Clock is the simulated clock the server and Config share (nil when
	// Options.Clock was given): its Skipped time is what the client waited
	// for Graph's limits, without waiting.
	Clock   *simcloud.RunningClock
	browser *browser
}

// Start starts simcloud for a scenario on 127.0.0.1. Close stops it.
func Start(sc *simcloud.Scenario, opts Options) (*Cloud, error) {
	var clock *simcloud.RunningClock
	if opts.Clock == nil {
		clock = simcloud.NewRunningClock(sc.AsOfTime())
		opts.Clock, opts.Wait = clock.Now, clock.WaitUntil
	}
	srv := simcloud.New(sc, simcloud.Options{ApproveAfter: opts.ApproveAfter, RetryAfter: opts.RetryAfter, Clock: opts.Clock, Port: opts.Port,
		SignInAtOnce: !opts.SignInPage})
	ep, err := srv.Start()
	if err != nil {
		return nil, fmt.Errorf("starting the simulated cloud: %w", err)
	}
	for _, f := range opts.Faults {
		if err := srv.AddFault(f); err != nil {
			srv.Close()
			return nil, err
		}
	}
	global := graphclient.Clouds["global"]
	cloud := graphclient.Cloud{
		Name: "demo", Description: "apppass simulated Microsoft cloud (" + sc.Name + ")",
		AuthorityHost: ep.Authority, GraphRoot: ep.GraphRoot, SMTPHost: ep.SMTPAddr,
		// The simulator issues tokens for Exchange Online's own scope.
		SMTPScope: global.SMTPScope,
		// Exchange's admin endpoint is served beside Graph; tokens name
		// Exchange Online's own resource.
		ExchangeRoot: ep.ExchangeRoot, ExchangeScope: global.ExchangeScope,
		// The demo teaches the real portal pages.
		SecurityInfoURL: global.SecurityInfoURL, MFASettingsURL: global.MFASettingsURL,
	}
	return &Cloud{
		Server: srv, browser: newBrowser(ep.RootCAs, opts.ApproveAfter),
		Config: graphclient.Config{Cloud: cloud, Tenant: sc.Tenant.ID, RootCAs: ep.RootCAs, Retry: graphclient.DefaultRetry,
			Clock: opts.Clock, Wait: opts.Wait},
		Clock: clock,
		SMTP:  smtpauth.Config{Addr: ep.SMTPAddr, TLS: &tls.Config{RootCAs: ep.RootCAs, ServerName: "127.0.0.1"}},
		Admin: sc.Admin, Account: sc.Account,
		CertificatePEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ep.Certificate.Raw}),
	}, nil
}

// Password is a simulated person's password ("" for no such person).
// Printing it is fine: the person and the tenant are made up.
func (c *Cloud) Password(upn string) string {
	for _, u := range c.Server.Scenario().Users {
		if strings.EqualFold(u.UserPrincipalName, upn) {
			return u.Password
		}
	}
	return ""
}

// Close stops the simulator; hung requests are cut off.
func (c *Cloud) Close() error {
	c.browser.stop()
	return c.Server.Close()
}

// SignIn signs client in with a device code the person at the browser
// (the admin, unless SetPerson chose another) approves at once: the real
// MSAL flow, without the wait.
func (c *Cloud) SignIn(ctx context.Context, client *graphclient.Client) (graphclient.Account, error) {
	dc, err := client.StartDeviceCode(ctx)
	if err != nil {
		return graphclient.Account{}, fmt.Errorf("starting the device code: %w", err)
	}
	c.Server.ApproveDeviceCodes()
	acct, err := client.FinishDeviceCode(ctx, dc)
	if err != nil {
		return graphclient.Account{}, fmt.Errorf("finishing the device code: %w", err)
	}
	return acct, nil
}

// Client builds a client from Config and signs the scenario's admin in.
func (c *Cloud) Client(ctx context.Context) (*graphclient.Client, error) {
	client, err := graphclient.New(c.Config)
	if err != nil {
		return nil, err
	}
	if _, err := c.SignIn(ctx, client); err != nil {
		return nil, err
	}
	return client, nil
}
