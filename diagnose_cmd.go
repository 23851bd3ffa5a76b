package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/evidence"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/smtpauth"
	"github.com/apppass/apppass/termsafe"
)

// liveFlags choose the real cloud and tenant.
type liveFlags struct {
	cloud, tenant, clientID string
}

func (f *liveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.cloud, "cloud", "global", "Microsoft cloud: global, gcc-high, dod or china")
	fs.StringVar(&f.tenant, "tenant", "organizations", "tenant id or verified domain")
	fs.StringVar(&f.clientID, "client-id", graphclient.GraphCommandLineToolsClientID, "public client application id")
}

// refuseWithDemo refuses live-cloud flags given to a demo run, which
// would otherwise be silently ignored.
func refuseWithDemo(fs *flag.FlagSet, command string) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if err == nil && (f.Name == "cloud" || f.Name == "tenant" || f.Name == "client-id") {
			err = fmt.Errorf("%s: --%s does not apply to the demo, which runs against the built-in simulated cloud; drop --%s, or drop --demo to use a real tenant", command, f.Name, f.Name)
		}
	})
	return err
}

// config builds the live configuration, with the token cache of that cloud.
func (f liveFlags) config() (graphclient.Config, error) {
	cloud, err := graphclient.CloudByName(f.cloud)
	if err != nil {
		return graphclient.Config{}, err
	}
	if err := graphclient.ValidateTenant(f.tenant); err != nil {
		return graphclient.Config{}, err
	}
	if err := graphclient.ValidateClientID(f.clientID); err != nil {
		return graphclient.Config{}, err
	}
	path, err := graphclient.DefaultCachePath(cloud.Name)
	if err != nil {
		return graphclient.Config{}, err
	}
	return graphclient.Config{Cloud: cloud, Tenant: f.tenant, ClientID: f.clientID, CachePath: path, Retry: graphclient.DefaultRetry}, nil
}

// diagnoseOptions are the flags of `apppass diagnose`.
type diagnoseOptions struct {
	live                          liveFlags
	demo                          demoFlags
	useDemo                       bool
	user, service, pasted, format string
	checkPassword, testSMTP       bool
}

func parseDiagnose(args []string) (diagnoseOptions, error) {
	var o diagnoseOptions
	fs := flag.NewFlagSet("diagnose", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.live.register(fs)
	fs.BoolVar(&o.useDemo, "demo", false, "run against the built-in simulated cloud")
	fs.StringVar(&o.demo.scenario, "scenario", "", "demo scenario (see apppass scenarios)")
	fs.StringVar(&o.demo.scenarioFile, "scenario-file", "", "demo scenario file")
	fs.Func("fault", "demo fault KIND[:ENDPOINT[:TIMES]] (repeatable)", func(s string) error {
		o.demo.faults = append(o.demo.faults, s)
		return nil
	})
	fs.StringVar(&o.user, "user", "", "the account the app signs in as")
	fs.StringVar(&o.service, "service", "", "what the app uses: smtp, sharepoint, exchange or other")
	fs.StringVar(&o.pasted, "error", "", "the app's error message, pasted")
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	mdOut := fs.Bool("markdown", false, "print the report as Markdown")
	noteOut := fs.Bool("admin-note", false, "print a note for your admin")
	fs.BoolVar(&o.checkPassword, "check-password", false, "one sign-in with the regular password (counts toward lockout)")
	fs.BoolVar(&o.testSMTP, "test-smtp", false, "test a password or app password against SMTP AUTH")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("diagnose: %w (see apppass help)", err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("diagnose: unexpected %q (see apppass help)", fs.Arg(0))
	}
	o.format = "text"
	switch {
	case *jsonOut:
		o.format = "json"
	case *mdOut:
		o.format = "markdown"
	case *noteOut:
		o.format = "admin-note"
	}
	if (o.demo.scenario != "" || o.demo.scenarioFile != "" || len(o.demo.faults) > 0) && !o.useDemo {
		o.useDemo = true
	}
	if o.useDemo {
		if err := refuseWithDemo(fs, "diagnose"); err != nil {
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

// runDiagnose is `apppass diagnose`: sign in, gather, judge, print.
func runDiagnose(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	o, err := parseDiagnose(args)
	if err != nil {
		return err
	}
	var cfg graphclient.Config
	smtpCfg := smtpauth.Config{TLS: nil}
	now := time.Now()
	if o.useDemo {
		sc, err := o.demo.load(ctx)
		if err != nil {
			return err
		}
		cloud, err := startDemo(sc, o.demo.faults, 10*time.Millisecond)
		if err != nil {
			return err
		}
		defer cloud.srv.Close()
		cfg, smtpCfg, now = cloud.config, cloud.smtp, cloud.srv.Now()
		if o.user == "" {
			o.user = sc.Account
		}
		if o.service == "" {
			o.service = sc.Service
		}
		fmt.Fprintf(stderr, "DEMO: simulated tenant %s (%s), as of %s\n", termsafe.Clean(sc.Name), termsafe.Clean(sc.Tenant.DisplayName), sc.AsOf)
	} else {
		if cfg, err = o.live.config(); err != nil {
			return err
		}
		smtpCfg.Addr = cfg.Cloud.SMTPHost
	}
	service, _ := diagnose.ParseService(o.service)
	client, err := graphclient.New(cfg)
	if err != nil {
		return err
	}
	if err := signIn(ctx, client, stderr); err != nil {
		return err
	}
	ev := evidence.Gather(ctx, client, evidence.Request{UPN: o.user, Service: service, Pasted: o.pasted, Now: now}, nil)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	prompt := newPrompter(ctx, stdin, stderr)
	if o.checkPassword {
		ev.PasswordCheck = passwordCheck(ctx, client, o.user, prompt, stderr)
	}
	if o.testSMTP && ctx.Err() == nil {
		ev.SMTPTest = smtpTest(ctx, smtpCfg, o.user, prompt)
	}
	if ctx.Err() != nil { // ctrl+c at a prompt: no report, exit 2
		return ctx.Err()
	}
	report := diagnose.Diagnose(ev)
	if err := printReport(stdout, report, o.format); err != nil {
		return err
	}
	if report.AppPasswordCanHelp == diagnose.AnswerUnknown {
		return errVerdictUnknown
	}
	return nil
}

// signIn uses the cached account, or a device code shown on stderr.
func signIn(ctx context.Context, client *graphclient.Client, stderr io.Writer) error {
	if _, err := client.SignInSilent(ctx); err == nil {
		return nil
	}
	dc, err := client.StartDeviceCode(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", errSignIn, err)
	}
	fmt.Fprintf(stderr, "To sign in, open %s and enter the code %s\n", termsafe.Clean(dc.VerificationURL), termsafe.Clean(dc.UserCode))
	acct, err := client.FinishDeviceCode(ctx, dc)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return fmt.Errorf("%w: %w", errSignIn, err)
	}
	fmt.Fprintf(stderr, "Signed in as %s.\n", termsafe.Clean(acct.UserPrincipalName))
	return nil
}

func passwordCheck(ctx context.Context, client *graphclient.Client, upn string, p *prompter, stderr io.Writer) diagnose.Item[int] {
	fmt.Fprintln(stderr, evidence.LockoutWarning)
	secret, err := p.secret(fmt.Sprintf("Regular password of %s (empty to skip): ", termsafe.Clean(upn)))
	if err != nil || secret == "" {
		return diagnose.Item[int]{Status: diagnose.StatusNotRun}
	}
	err = client.CheckPassword(ctx, upn, secret)
	if err == nil {
		return diagnose.OK(0)
	}
	var ee *graphclient.EntraError
	if errors.As(err, &ee) {
		return diagnose.OK(ee.Code())
	}
	return diagnose.Item[int]{Status: diagnose.StatusFailed, Err: err.Error()}
}

func smtpTest(ctx context.Context, cfg smtpauth.Config, upn string, p *prompter) diagnose.Item[string] {
	secret, err := p.secret(fmt.Sprintf("App password (or password) of %s to test against SMTP AUTH: ", termsafe.Clean(upn)))
	if err != nil || secret == "" {
		return diagnose.Item[string]{Status: diagnose.StatusNotRun}
	}
	reply, err := smtpauth.Test(ctx, cfg, upn, secret)
	if err != nil {
		return diagnose.Item[string]{Status: diagnose.StatusFailed, Err: err.Error()}
	}
	return diagnose.OK(reply)
}

// printReport writes the report through termsafe: it quotes Graph, the
// scenario and pasted text, none of which may reach a terminal raw.
func printReport(out io.Writer, r diagnose.Report, format string) error {
	w := termsafe.Writer(out)
	switch format {
	case "json":
		data, err := r.JSON()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(data))
		return err
	case "markdown":
		_, err := io.WriteString(w, r.Markdown())
		return err
	case "admin-note":
		_, err := io.WriteString(w, r.AdminNote())
		return err
	}
	_, err := io.WriteString(w, r.Text())
	return err
}
