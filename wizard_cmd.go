package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/pkg/browser"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/smtpauth"
	"github.com/apppass/apppass/steps"
	"github.com/apppass/apppass/wizard"
)

// demoApproveAfter gives a trainer time to talk through the sign-in screen.
const demoApproveAfter = 5 * time.Second

// wizardOptions are the flags of `apppass` and `apppass demo`.
type wizardOptions struct {
	live       liveFlags
	demo       demoFlags
	accessible bool
}

func parseWizard(name string, args []string) (wizardOptions, error) {
	var o wizardOptions
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.live.register(fs)
	fs.BoolVar(&o.accessible, "accessible", false, "plain prompts instead of the full-screen wizard")
	if name == "demo" {
		fs.StringVar(&o.demo.scenario, "scenario", "", "start this scenario (see apppass scenarios)")
		fs.StringVar(&o.demo.scenarioFile, "scenario-file", "", "start the scenario in this file")
		fs.Func("fault", "inject a fault KIND[:ENDPOINT[:TIMES]] (repeatable)", func(s string) error {
			o.demo.faults = append(o.demo.faults, s)
			return nil
		})
	}
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("%s: %w (see apppass help)", name, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%s: unexpected %q (see apppass help)", name, fs.Arg(0))
	}
	for _, f := range o.demo.faults {
		if _, err := simcloud.ParseFault(f); err != nil {
			return o, err
		}
	}
	if name == "demo" {
		return o, refuseWithDemo(fs, name)
	}
	return o, nil
}

// runWizard runs the full-screen wizard, live or demo, or its plain form.
func runWizard(ctx context.Context, demo bool, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	name := "apppass"
	if demo {
		name = "demo"
	}
	o, err := parseWizard(name, args)
	if err != nil {
		return err
	}
	var launcher wizard.Launcher
	opts := wizard.Options{Context: ctx, NoColor: os.Getenv("NO_COLOR") != ""}
	if demo {
		dl := &demoLauncher{ctx: ctx, flags: o.demo}
		if o.demo.scenarioFile != "" || o.demo.scenario != "" {
			sc, err := o.demo.load(ctx) // refuse a bad scenario before the screen opens
			if err != nil {
				return err
			}
			opts.Scenario = sc.Name
		}
		launcher = dl
	} else {
		cfg, err := o.live.config()
		if err != nil {
			return err
		}
		launcher = &liveLauncher{cfg: cfg, flags: o.live}
	}
	if o.accessible || os.Getenv("TERM") == "dumb" || !isTerminal(stdin) || !isTerminal(stdout) {
		return plainWizard(ctx, demo, o, stdin, stdout, stderr)
	}
	m := wizard.New(launcher, opts)
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(stdin), tea.WithOutput(stdout))
	_, runErr := p.Run()
	m.Leave()
	switch {
	case m.Cancelled() || errors.Is(runErr, tea.ErrInterrupted) || errors.Is(runErr, tea.ErrProgramKilled):
		return context.Canceled
	case m.Err() != nil:
		return m.Err()
	}
	return runErr
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(file.Fd())
}

// plainWizard is the wizard without a full screen: it explains, or asks its
// questions as plain prompts and prints the diagnosis.
func plainWizard(ctx context.Context, demo bool, o wizardOptions, stdin io.Reader, stdout, stderr io.Writer) error {
	if !isTerminal(stdin) && !o.accessible {
		return errors.New("the wizard needs an interactive terminal. Without one, use: apppass diagnose --user UPN --service smtp (or apppass diagnose --demo); see apppass help")
	}
	p := newPrompter(ctx, stdin, stderr)
	args := []string{}
	if demo {
		args = append(args, "--demo")
		if o.demo.scenario != "" {
			args = append(args, "--scenario", o.demo.scenario)
		}
		if o.demo.scenarioFile != "" {
			args = append(args, "--scenario-file", o.demo.scenarioFile)
		}
	} else {
		args = append(args, "--cloud", o.live.cloud, "--tenant", o.live.tenant, "--client-id", o.live.clientID)
	}
	fmt.Fprintln(stderr, "apppass (plain mode): answer the questions; the changes themselves need the full-screen wizard.")
	upn, err := p.line("Account the app signs in as (empty: the demo's account): ")
	if err != nil {
		return err
	}
	if upn != "" {
		args = append(args, "--user", upn)
	}
	service, err := p.line("What the app uses: smtp, sharepoint, exchange or other (empty: smtp): ")
	if err != nil {
		return err
	}
	if service == "" {
		service = string(diagnose.ServiceSMTP)
	}
	args = append(args, "--service", service)
	pasted, err := p.line("The app's error message (optional): ")
	if err != nil {
		return err
	}
	if pasted != "" {
		args = append(args, "--error", pasted)
	}
	return runDiagnose(ctx, args, stdin, stdout, stderr)
}

// demoLauncher starts simulated clouds for the wizard.
type demoLauncher struct {
	ctx     context.Context // the run's: ctrl+c stops reading a scenario file
	flags   demoFlags
	journal *journal.File
}

// Scenarios implements wizard.Launcher.
func (d *demoLauncher) Scenarios() []steps.ScenarioInfo {
	all, err := simcloud.Scenarios()
	if err != nil {
		return nil
	}
	out := make([]steps.ScenarioInfo, 0, len(all))
	for _, sc := range all {
		out = append(out, steps.ScenarioInfo{Name: sc.Name, Description: sc.Description, AsOf: sc.AsOf})
	}
	return out
}

// Launch implements wizard.Launcher.
func (d *demoLauncher) Launch(name string) (*wizard.Env, error) {
	f := d.flags
	if f.scenarioFile == "" {
		f.scenario = name
	}
	sc, err := f.load(d.ctx)
	if err != nil {
		return nil, err
	}
	cloud, err := startDemo(sc, f.faults, demoApproveAfter)
	if err != nil {
		return nil, err
	}
	if d.journal == nil {
		// One journal per run, in memory: a restart within the run re-reads
		// what it recorded as unknown; other runs never see it.
		d.journal = journal.InMemory(time.Now)
	}
	cfg := cloud.config
	service, _ := diagnose.ParseService(sc.Service)
	return &wizard.Env{
		Cloud:   cfg.Cloud,
		Banner:  wizard.Banner{Demo: true, Scenario: sc.Name, AsOf: sc.AsOf},
		Now:     cloud.srv.Now,
		Connect: connector(cfg),
		SMTP: func(ctx context.Context, upn, secret string) (string, error) {
			return smtpauth.Test(ctx, cloud.smtp, upn, secret)
		},
		StandIns: steps.StandIns{
			ApproveSignIn:     func() { cloud.srv.ApproveDeviceCodes() },
			CreateAppPassword: cloud.srv.CreateAppPassword,
			AllowAppPasswords: cloud.srv.AllowAppPasswords,
		},
		Journal:          d.journal,
		ConsentURL:       consentURL(cfg),
		SuggestedUPN:     sc.Account,
		SuggestedService: service,
		Export:           exportToWorkingDir,
		Open:             openBrowser,
		Close:            func() { cloud.srv.Close() },
	}, nil
}

// liveLauncher connects to the real cloud.
type liveLauncher struct {
	cfg   graphclient.Config
	flags liveFlags
}

// Scenarios implements wizard.Launcher.
func (l *liveLauncher) Scenarios() []steps.ScenarioInfo { return nil }

// Launch implements wizard.Launcher.
func (l *liveLauncher) Launch(string) (*wizard.Env, error) {
	journal, err := openJournal(l.cfg.Cloud.Name)
	if err != nil {
		return nil, err
	}
	smtpCfg := smtpauth.Config{Addr: l.cfg.Cloud.SMTPHost}
	return &wizard.Env{
		Cloud:   l.cfg.Cloud,
		Banner:  wizard.Banner{},
		Now:     time.Now,
		Connect: connector(l.cfg),
		SMTP: func(ctx context.Context, upn, secret string) (string, error) {
			return smtpauth.Test(ctx, smtpCfg, upn, secret)
		},
		Journal:    journal,
		ConsentURL: consentURL(l.cfg),
		Export:     exportToWorkingDir,
		Open:       openBrowser,
	}, nil
}

func connector(cfg graphclient.Config) func([]string) (*graphclient.Client, error) {
	return func(scopes []string) (*graphclient.Client, error) {
		c := cfg
		c.Scopes = scopes
		return graphclient.New(c)
	}
}

func consentURL(cfg graphclient.Config) string {
	tenant, client := cfg.Tenant, cfg.ClientID
	if tenant == "" {
		tenant = "organizations"
	}
	if client == "" {
		client = graphclient.GraphCommandLineToolsClientID
	}
	return cfg.Cloud.AuthorityHost + "/" + tenant + "/adminconsent?client_id=" + client
}

// openJournal opens the live journal of a cloud under the user's state folder.
func openJournal(environment string) (*journal.File, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("no home folder for the journal: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return journal.Open(filepath.Join(dir, "apppass", "journal-"+environment+".jsonl"), time.Now)
}

// exportToWorkingDir writes a report file (0600, never over an existing one).
func exportToWorkingDir(name string, data []byte) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// openBrowser opens a URL without letting the browser's chatter reach the screen.
func openBrowser(url string) error {
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	return browser.OpenURL(url)
}
