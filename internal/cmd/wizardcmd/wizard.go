// Package wizardcmd is `apppass`: the wizard against the real cloud. It
// also runs the wizard for `apppass demo` (package democmd), which only
// brings another launcher: full screen on a terminal, otherwise the same
// screens as plain questions (wizard.RunPlain).
package wizardcmd

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/smtpauth"
	"github.com/apppass/apppass/steps"
	"github.com/apppass/apppass/wizard"
)

// Usage are the command's usage lines.
const Usage = `  apppass [--cloud C] [--tenant T] [--client-id ID] [--oauth-client-id ID] [--device-code] [--accessible]
                             the wizard, against your tenant
`

// Options say what the wizard runs against: the flags of `apppass` or of
// `apppass demo`.
type Options struct {
	Live       cmdutil.LiveFlags
	Demo       cmdutil.DemoFlags
	SignIn     cmdutil.SignInFlags
	IsDemo     bool
	Accessible bool
	// Scenario is the demo scenario to start at once ("": the picker).
	Scenario string
}

// Run is `apppass`: the wizard against the real cloud.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) error {
	var o Options
	fs := cmdutil.NewFlagSet("")
	o.Live.Register(fs)
	o.SignIn.Register(fs)
	fs.BoolVar(&o.Accessible, "accessible", false, "plain prompts instead of the full-screen wizard")
	if err := cmdutil.Parse(fs, Usage, args, f.IO.Out); err != nil {
		return err
	}
	cfg, err := o.Live.Config()
	if err != nil {
		return err
	}
	return Start(ctx, f, o, &liveLauncher{f: f, cfg: cfg, signIn: o.SignIn})
}

// Start runs the wizard with l: the full-screen wizard, or its plain form
// without a terminal, with --accessible or on TERM=dumb.
func Start(ctx context.Context, f *cmdutil.Factory, o Options, l wizard.Launcher) error {
	if o.Accessible || f.Config.Dumb || !f.IO.InTTY || !f.IO.OutTTY {
		scenario := o.Scenario
		if o.IsDemo && scenario == "" && o.Demo.ScenarioFile == "" {
			scenario = "classic"
		}
		fmt.Fprintln(f.IO.ErrOut, "apppass (plain mode): each screen is a few lines and a question; changes are shown first and need your yes (the default is no).")
		return wizard.RunPlain(ctx, l, scenario, f.Prompter(ctx), f.IO.Out)
	}
	m := wizard.New(l, wizard.Options{Context: ctx, Scenario: o.Scenario, NoColor: f.Config.NoColor})
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(f.IO.In), tea.WithOutput(f.IO.Out))
	_, runErr := p.Run()
	m.Leave()
	switch {
	case m.Cancelled() || errors.Is(runErr, tea.ErrInterrupted) || errors.Is(runErr, tea.ErrProgramKilled):
		return context.Canceled
	case m.Err() != nil:
		return m.Err()
	case runErr != nil:
		return runErr
	}
	return m.Ending()
}

// liveLauncher connects to the real cloud.
type liveLauncher struct {
	f      *cmdutil.Factory
	cfg    graphclient.Config
	signIn cmdutil.SignInFlags
}

// Scenarios implements wizard.Launcher.
func (l *liveLauncher) Scenarios() []steps.ScenarioInfo { return nil }

// Launch implements wizard.Launcher.
func (l *liveLauncher) Launch(string) (*wizard.Env, error) {
	journal, err := l.f.Journal(l.cfg.Cloud.Name)
	if err != nil {
		return nil, err
	}
	env := Env(l.f, l.cfg, smtpauth.Config{Addr: l.cfg.Cloud.SMTPHost})
	env.Journal = journal
	env.SignIn = l.f.LiveSignIn(l.signIn)
	return env, nil
}
