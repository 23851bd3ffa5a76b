// Package diagnosecmd is `apppass diagnose`: the diagnosis without a
// wizard. It signs in, gathers the evidence, judges it and prints the
// report as text, JSON, Markdown or a note for the admin; the exit code
// tells scripts whether a verdict was reached.
package diagnosecmd

import (
	"cmp"
	"context"
	"errors"
	"io"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/smtpauth"
)

// Usage are the command's usage lines.
const Usage = `  apppass diagnose --user UPN --service S [--json|--markdown|--admin-note]
                   [--error TEXT] [--check-password] [--test-smtp] [--test-oauth-smtp]
                   [--oauth-client-id ID] [--watch-app DURATION]
                   [--cloud C] [--tenant T] [--client-id ID] [--exchange-client-id ID] [--device-code]
  apppass diagnose --demo [--scenario NAME | --scenario-file PATH] [--fault SPEC] ...
                   diagnose without a wizard; S is smtp, sharepoint, exchange or other.
                   --watch-app then watches the sign-in log for the app's own next
                   sign-in: exit 0 when it got through, 1 when it failed, 3 when
                   none was seen (or the log could not be read)
`

// demoApproveAfter has the demo's simulated person sign in at once:
// nobody is reading the screen.
const demoApproveAfter = 10 * time.Millisecond

// options are the flags of `apppass diagnose`.
type options struct {
	live                          cmdutil.LiveFlags
	demo                          cmdutil.DemoFlags
	signIn                        cmdutil.SignInFlags
	useDemo                       bool
	user, service, pasted, format string
	checkPassword, testSMTP       bool
	testOAuth                     bool
	watchApp                      time.Duration
}

func parseOptions(args []string, help io.Writer) (options, error) {
	var o options
	fs := cmdutil.NewFlagSet("diagnose")
	o.live.Register(fs)
	o.live.RegisterExchange(fs)
	o.signIn.Register(fs)
	fs.BoolVar(&o.useDemo, "demo", false, "run against the built-in simulated cloud")
	o.demo.Register(fs)
	fs.StringVar(&o.user, "user", "", "the account (`UPN`) the app signs in as")
	fs.StringVar(&o.service, "service", "", "the `SERVICE` the app uses: smtp, sharepoint, exchange or other")
	fs.StringVar(&o.pasted, "error", "", "the app's error message, pasted (`TEXT`)")
	var formats cmdutil.FormatFlags
	formats.Register(fs, [2]string{"json", "print the report as JSON"}, [2]string{"markdown", "print the report as Markdown"},
		[2]string{"admin-note", "print a note for your admin"})
	fs.BoolVar(&o.checkPassword, "check-password", false, "one sign-in with the regular password (counts toward lockout)")
	fs.BoolVar(&o.testSMTP, "test-smtp", false, "test a password or app password against SMTP AUTH")
	fs.BoolVar(&o.testOAuth, "test-oauth-smtp", false, "test the OAuth route: the account owner signs in for SMTP.Send and SMTP AUTH is tried with XOAUTH2 (the token is not kept)")
	fs.DurationVar(&o.watchApp, "watch-app", 0, "after the diagnosis, watch the sign-in log this long (`DURATION`, such as 15m) for the app's own next sign-in")
	if err := cmdutil.Parse(fs, Usage, args, help); err != nil {
		return o, err
	}
	if o.watchApp < 0 || o.watchApp > 24*time.Hour {
		return o, errors.New("diagnose: --watch-app takes a duration from 1s to 24h, such as 15m")
	}
	format, err := formats.Chosen("diagnose")
	if err != nil {
		return o, err
	}
	o.format = cmp.Or(format, "text")
	if o.demo.Given() {
		o.useDemo = true
	}
	if o.useDemo {
		if err := cmdutil.RefuseLiveFlags(fs); err != nil {
			return o, err
		}
	}
	if !o.useDemo && (o.user == "" || o.service == "") {
		return o, errors.New("diagnose: --user and --service are required (or --demo)")
	}
	if o.user != "" {
		if err := graphclient.ValidateUPN(o.user); err != nil {
			return o, err
		}
	}
	if o.service != "" {
		if _, err := diagnose.ParseService(o.service); err != nil {
			return o, err
		}
	}
	return o, nil
}

// Run is `apppass diagnose`: sign in, gather, judge, print.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) error {
	o, err := parseOptions(args, f.IO.Out)
	if err != nil {
		return err
	}
	var cfg graphclient.Config
	var way flow.SignInWay
	var cloud *demo.Cloud
	smtpCfg := smtpauth.Config{TLS: nil}
	now := f.Now()
	if o.useDemo {
		if cloud, err = f.StartDemo(ctx, o.demo, demo.DefaultScenario, demoApproveAfter); err != nil {
			return err
		}
		defer cloud.Close()
		sc := cloud.Server.Scenario()
		cfg, smtpCfg, now = cloud.Config, cloud.SMTP, cloud.Server.Now()
		if cfg, err = o.live.ApplyOAuth(cfg); err != nil {
			return err
		}
		way = f.DemoSignIn(o.signIn, cloud)
		if o.user == "" {
			o.user = cloud.Account
		}
		if o.service == "" {
			o.service = sc.Service
		}
	} else {
		if cfg, err = o.live.Config(); err != nil {
			return err
		}
		smtpCfg.Addr = cfg.Cloud.SMTPHost
		way = f.LiveSignIn(o.signIn)
	}
	service, _ := diagnose.ParseService(o.service)
	client, err := f.NewClient(cfg)
	if err != nil {
		return err
	}
	consent, _ := graphclient.AdminConsentURL(cfg)
	if err := cmdutil.SignIn(ctx, client, way, consent, f.IO.ErrOut); err != nil {
		return err
	}
	if service == diagnose.ServiceSMTP {
		f.UseExchangeApp(ctx, client, cfg, o.live.ExchangeClientID, way, f.IO.ErrOut)
	}
	ev := evidence.Gather(ctx, client, evidence.Request{UPN: o.user, Caller: client.Account().UserPrincipalName, Service: service, Pasted: o.pasted, Now: now}, nil)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	prompt := f.Prompter(ctx)
	if o.checkPassword {
		ev.PasswordCheck = passwordCheck(ctx, client, o.user, prompt, f.IO.ErrOut)
	}
	if o.testSMTP && ctx.Err() == nil {
		ev.SMTPTest = smtpTest(ctx, smtpCfg, o.user, prompt)
	}
	if (o.testOAuth || o.live.OAuthClientID != "") && ctx.Err() == nil {
		if cloud != nil {
			cloud.SetPerson(o.user) // the simulated owner signs in, if the scenario has them
		}
		ev.SMTPOAuthTest = oauthTest(ctx, f.OAuthSMTP(cfg, smtpCfg), way, o.user, f.IO.ErrOut)
	}
	if ctx.Err() != nil { // ctrl+c at a prompt: no report, exit 2
		return ctx.Err()
	}
	clock := f.Now
	if cloud != nil {
		clock = cloud.Server.Now
	}
	if o.watchApp > 0 {
		w := watchApp(ctx, f, client, o.user, service, clock, o.watchApp)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ev.AppWatch = &w
	}
	report := diagnose.Diagnose(ev)
	if err := printReport(f.IO.Out, report, o.format); err != nil {
		return err
	}
	if w := ev.AppWatch; w != nil {
		switch w.Result {
		case diagnose.WatchThrough:
			return nil
		case diagnose.WatchFailed:
			return cmdutil.ErrAppSignInFailed
		}
		return cmdutil.ErrAppNotSeen
	}
	if report.AppPasswordCanHelp == diagnose.AnswerUnknown {
		return cmdutil.ErrVerdictUnknown
	}
	return nil
}
