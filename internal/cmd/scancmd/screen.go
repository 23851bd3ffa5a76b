package scancmd

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/internal/cmd/democmd"
	"github.com/apppass/apppass/internal/cmd/wizardcmd"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/scan"
	"github.com/apppass/apppass/scanview"
	"github.com/apppass/apppass/smtpauth"
	"github.com/apppass/apppass/steps"
	"github.com/apppass/apppass/wizard"
)

// runScreen is the full-screen table; q or ctrl+c quits and restores the
// terminal, enter walks the chosen account's fix in the wizard. Like the
// printed forms, it exits 3 when a verdict is unknown.
func runScreen(ctx context.Context, f *cmdutil.Factory, g scan.Graph, opts scan.Options, t target, prev *scan.Previous) error {
	m := scanview.New(scanview.Options{Context: ctx, Graph: g, Scan: opts, Export: f.Export, NoColor: f.Config.NoColor, Banner: t.banner, Previous: prev})
	for {
		p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(f.IO.In), tea.WithOutput(f.IO.Out))
		_, err := p.Run()
		switch {
		case errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled):
			return context.Canceled
		case err != nil:
			return err
		case m.Err() != nil:
			return m.Err()
		case m.Chosen() != nil:
			// The wizard for the account, then the table again as it was:
			// the scan is the admin's home for the next weeks.
			row := *m.Chosen()
			note := "Back from the wizard for " + row.UPN + "."
			if err := walk(ctx, f, t, row); err != nil {
				if errors.Is(err, context.Canceled) || ctx.Err() != nil {
					return err
				}
				if !errors.Is(err, cmdutil.ErrVerdictUnknown) {
					note = "The wizard for " + row.UPN + " ended: " + err.Error()
				}
			}
			m.Resume(note)
			continue
		case m.Result() != nil && m.Result().Comparison.Attention():
			return cmdutil.ErrChanged
		case m.Result() != nil && m.Result().Incomplete():
			return cmdutil.ErrSomeVerdictsUnknown
		}
		return nil
	}
}

// walk opens the wizard for the chosen account, its diagnosis starting
// from the evidence the scan read.
func walk(ctx context.Context, f *cmdutil.Factory, t target, row scan.Row) error {
	var env *wizard.Env
	o := wizardcmd.Options{}
	if t.cloud != nil {
		env = democmd.Env(f, t.cloud, t.signIn, journal.InMemory(f.Now))
		o.IsDemo, o.Scenario = true, t.cloud.Server.Scenario().Name
	} else {
		env = wizardcmd.Env(f, t.cfg, smtpauth.Config{Addr: t.cfg.Cloud.SMTPHost})
		j, err := f.Journal(t.cfg.Cloud.Name)
		if err != nil {
			return err
		}
		env.Journal, env.SignIn = j, t.way
	}
	env.SuggestedUPN, env.SuggestedService, env.Preloaded = row.UPN, row.Service, &row.Evidence
	env.ReturnTo = "the scan's table"
	return wizardcmd.Start(ctx, f, o, oneEnv{env})
}

// oneEnv launches the environment the scan already has (the scan stops
// its simulated cloud when it ends).
type oneEnv struct{ env *wizard.Env }

// Scenarios implements wizard.Launcher.
func (oneEnv) Scenarios() []steps.ScenarioInfo { return nil }

// Launch implements wizard.Launcher.
func (l oneEnv) Launch(string) (*wizard.Env, error) { return l.env, nil }
