// Package scancmd is `apppass scan`: every account that still signs in
// with a password over a legacy protocol, each judged like diagnose judges
// one, and what happens to each when SMTP AUTH Basic goes off by default.
// On a terminal it is a table (package scan's screen); otherwise, or with
// a format flag, it prints.
package scancmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/scan"
	"github.com/apppass/apppass/termsafe"
)

// Usage are the command's usage lines.
const Usage = `  apppass scan [--days N] [--json|--csv|--markdown] [--compare PREVIOUS.json] [--resume STOPPED.json]
                   [--cloud C] [--tenant T] [--client-id ID] [--oauth-client-id ID]
                   [--exchange-client-id ID] [--device-code] [--accessible]
  apppass scan --demo [--scenario NAME] ...
                   every account with legacy sign-ins, judged, and its fate at the SMTP AUTH default-off
`

// demoScenario is the simulated tenant a scan demo runs by default.
const demoScenario = "fleet"

// demoApproveAfter has the demo's simulated person sign in at once.
const demoApproveAfter = 10 * time.Millisecond

type options struct {
	live       cmdutil.LiveFlags
	demo       cmdutil.DemoFlags
	signIn     cmdutil.SignInFlags
	useDemo    bool
	days       int
	format     string
	accessible bool
	compare    string
	resume     string
}

func parseOptions(args []string, help io.Writer) (options, error) {
	var o options
	fs := cmdutil.NewFlagSet("scan")
	o.live.Register(fs)
	o.live.RegisterExchange(fs)
	o.signIn.Register(fs)
	fs.BoolVar(&o.useDemo, "demo", false, "scan the built-in simulated cloud (default scenario: "+demoScenario+")")
	o.demo.Register(fs)
	fs.IntVar(&o.days, "days", 7, "read `N` days of the sign-in log (1 to 30; the log keeps 30 days with Entra ID P1)")
	fs.BoolVar(&o.accessible, "accessible", false, "print the table plainly instead of the full-screen one")
	fs.StringVar(&o.resume, "resume", "", "go on from a stopped scan's `STOPPED.json` (--json export): the same window, its judged accounts kept")
	fs.StringVar(&o.compare, "compare", "", "mark what changed since an earlier scan's `PREVIOUS.json` (--json export); exit 5 when an account started failing, went silent or is new")
	var formats cmdutil.FormatFlags
	formats.Register(fs, [2]string{"json", "print the scan as JSON (docs/scan.md)"}, [2]string{"csv", "print one CSV row per account (docs/scan.md)"},
		[2]string{"markdown", "print the scan as Markdown, for a ticket"})
	if err := cmdutil.Parse(fs, Usage, args, help); err != nil {
		return o, err
	}
	var err error
	if o.format, err = formats.Chosen("scan"); err != nil {
		return o, err
	}
	if o.live.ExchangeClientID != "" {
		if err := graphclient.ValidateClientID(o.live.ExchangeClientID); err != nil {
			return o, fmt.Errorf("scan --exchange-client-id: %w", err)
		}
	}
	if o.days < 1 || o.days > 30 {
		return o, fmt.Errorf("scan: --days must be from 1 to 30, not %d", o.days)
	}
	if o.demo.Given() {
		o.useDemo = true
	}
	if o.useDemo {
		if err := cmdutil.RefuseLiveFlags(fs); err != nil {
			return o, err
		}
		if err := o.demo.CheckFaults(); err != nil {
			return o, err
		}
	}
	return o, nil
}

// Run is `apppass scan`.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) error {
	o, err := parseOptions(args, f.IO.Out)
	if err != nil {
		return err
	}
	var prev *scan.Previous
	if o.compare != "" {
		// Read it before signing in: a wrong file should not cost a scan.
		data, err := os.ReadFile(o.compare)
		if err != nil {
			return fmt.Errorf("scan --compare: %w", err)
		}
		p, err := scan.ReadPrevious(data)
		if err != nil {
			return fmt.Errorf("scan --compare %s: %w", o.compare, err)
		}
		prev = &p
	}
	var partial *scan.Partial
	if o.resume != "" {
		data, err := os.ReadFile(o.resume)
		if err != nil {
			return fmt.Errorf("scan --resume: %w", err)
		}
		p, err := scan.ReadPartial(data)
		if err != nil {
			return fmt.Errorf("scan --resume %s: %w", o.resume, err)
		}
		partial = &p
	}
	t, err := connect(ctx, f, o)
	if err != nil {
		return err
	}
	defer t.close()
	cfg := t.cfg
	cfg.Scopes = graphclient.ScanScopes
	client, err := f.NewClient(cfg)
	if err != nil {
		return err
	}
	consent, _ := graphclient.AdminConsentURL(cfg)
	if err := cmdutil.SignIn(ctx, client, t.way, consent, f.IO.ErrOut); err != nil {
		return err
	}
	f.UseExchangeApp(ctx, client, cfg, o.live.ExchangeClientID, t.way, f.IO.ErrOut)
	opts := scan.Options{Now: t.now, Days: o.days, Simulated: t.cloud != nil, Resume: partial}
	if o.format == "" && !o.accessible && f.IO.InTTY && f.IO.OutTTY && !f.Config.Dumb {
		return runScreen(ctx, f, client, opts, t, prev)
	}
	res, err := runPlain(ctx, client, opts, f.IO.ErrOut)
	if err != nil {
		return err
	}
	if prev != nil {
		if err := res.Compare(*prev); err != nil {
			return fmt.Errorf("scan --compare: %w", err)
		}
	}
	if err := print(f.IO.Out, res, o.format); err != nil {
		return err
	}
	if res.Cancelled {
		fmt.Fprintln(f.IO.ErrOut, "Stopped: the accounts above are those judged so far. Save the --json export and go on with apppass scan --resume FILE.")
		return context.Canceled
	}
	if res.Comparison.Attention() {
		return cmdutil.ErrChanged
	}
	if res.Incomplete() {
		return cmdutil.ErrSomeVerdictsUnknown
	}
	return nil
}

// target is the cloud a scan reads: the live one, or the demo's simulated
// one (started here, stopped by close).
type target struct {
	cfg    graphclient.Config
	way    flow.SignInWay
	now    time.Time
	banner string
	signIn cmdutil.SignInFlags
	// cloud is the demo's simulated cloud (nil when live).
	cloud *demo.Cloud
	close func()
}

func connect(ctx context.Context, f *cmdutil.Factory, o options) (target, error) {
	if !o.useDemo {
		cfg, err := o.live.Config()
		return target{cfg: cfg, way: f.LiveSignIn(o.signIn), now: f.Now(), signIn: o.signIn,
			banner: "LIVE · " + cfg.Cloud.Description + " · reading only", close: func() {}}, err
	}
	cloud, err := f.StartDemo(ctx, o.demo, demoScenario, demoApproveAfter)
	if err != nil {
		return target{}, err
	}
	sc := cloud.Server.Scenario()
	return target{cfg: cloud.Config, way: f.DemoSignIn(o.signIn, cloud), now: cloud.Server.Now(), signIn: o.signIn, cloud: cloud,
		banner: "DEMO · " + sc.Name + " · as of " + sc.AsOf + " · no real tenant is touched", close: func() { cloud.Close() }}, nil
}

// runPlain scans, saying how far it has come on stderr.
func runPlain(ctx context.Context, g scan.Graph, opts scan.Options, stderr io.Writer) (scan.Result, error) {
	var last scan.Progress
	opts.Progress = func(p scan.Progress) {
		// A line per query and per chunk of accounts: a paced scan of a
		// large tenant takes long, and the person should see it move.
		if p.Queries != last.Queries || p.Judged != last.Judged || p.Accounts != last.Accounts {
			fmt.Fprintln(stderr, p.Line())
		}
		last = p
	}
	res, err := scan.Run(ctx, g, opts)
	if err != nil {
		return res, fmt.Errorf("scan: %w", err)
	}
	return res, nil
}

// print writes the scan in a format, through termsafe: it quotes Graph.
func print(out io.Writer, res scan.Result, format string) error {
	w := termsafe.Writer(out)
	var data []byte
	var err error
	switch format {
	case "json":
		data, err = res.JSON()
		data = append(data, '\n')
	case "csv":
		data, err = res.CSV()
	case "markdown":
		data = []byte(res.Markdown())
	default:
		data = []byte(res.Text())
	}
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}
