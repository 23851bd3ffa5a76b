// Package democmd is `apppass demo`: the wizard (package wizardcmd) against
// the built-in simulated cloud, which package demo starts for the scenario
// the person picks, with the faults they asked for.
package democmd

import (
	"context"
	"time"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/internal/cmd/wizardcmd"
	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/steps"
	"github.com/apppass/apppass/wizard"
)

// Usage are the command's usage lines.
const Usage = `  apppass demo [--scenario NAME | --scenario-file PATH] [--fault SPEC]... [--device-code] [--accessible]
                             the wizard against the built-in simulated cloud
`

// approveAfter gives a trainer time to talk through the sign-in screen
// before the simulated person signs in.
const approveAfter = 5 * time.Second

// Run is `apppass demo`.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) error {
	o := wizardcmd.Options{IsDemo: true}
	fs := cmdutil.NewFlagSet("demo")
	o.Demo.Register(fs)
	o.SignIn.Register(fs)
	cmdutil.RegisterRefused(fs)
	fs.BoolVar(&o.Accessible, "accessible", false, "plain prompts instead of the full-screen wizard")
	if err := cmdutil.Parse(fs, Usage, args, f.IO.Out); err != nil {
		return err
	}
	if err := o.Demo.CheckFaults(); err != nil {
		return err
	}
	if err := cmdutil.RefuseLiveFlags(fs); err != nil {
		return err
	}
	if o.Demo.ScenarioFile != "" || o.Demo.Scenario != "" {
		sc, err := demo.Load(ctx, o.Demo.Scenario, o.Demo.ScenarioFile) // refuse a bad scenario before the screen opens
		if err != nil {
			return err
		}
		o.Scenario = sc.Name
	}
	return wizardcmd.Start(ctx, f, o, &launcher{ctx: ctx, f: f, flags: o.Demo, signIn: o.SignIn})
}

// launcher starts simulated clouds for the wizard.
type launcher struct {
	ctx     context.Context // the run's: ctrl+c stops reading a scenario file
	f       *cmdutil.Factory
	flags   cmdutil.DemoFlags
	signIn  cmdutil.SignInFlags
	journal *journal.File
}

// Scenarios implements wizard.Launcher.
func (l *launcher) Scenarios() []steps.ScenarioInfo {
	all, err := demo.Scenarios()
	if err != nil {
		return nil
	}
	out := make([]steps.ScenarioInfo, 0, len(all))
	for _, sc := range all {
		out = append(out, steps.ScenarioInfo{Name: sc.Name, Description: sc.Description, AsOf: sc.AsOf})
	}
	return out
}

// Launch implements wizard.Launcher: name is the picked scenario, unless
// --scenario-file chose one.
func (l *launcher) Launch(name string) (*wizard.Env, error) {
	sc, err := demo.Load(l.ctx, name, l.flags.ScenarioFile)
	if err != nil {
		return nil, err
	}
	faults, err := demo.ParseFaults(l.flags.Faults)
	if err != nil {
		return nil, err
	}
	cloud, err := demo.Start(sc, demo.Options{ApproveAfter: approveAfter, RetryAfter: 1, Faults: faults})
	if err != nil {
		return nil, err
	}
	if l.journal == nil {
		// One journal per run, in memory: a restart within the run re-reads
		// what it recorded as unknown; other runs never see it.
		l.journal = journal.InMemory(l.f.Now)
	}
	env := Env(l.f, cloud, l.signIn, l.journal)
	env.Close = func() { cloud.Close() }
	return env, nil
}

// Env is the wizard's environment for a started simulated cloud: its
// configuration, clock, banner, sign-in and simulated people, suggesting
// the scenario's account. The caller closes the cloud.
func Env(f *cmdutil.Factory, cloud *demo.Cloud, signIn cmdutil.SignInFlags, journal *journal.File) *wizard.Env {
	sc := cloud.Server.Scenario()
	service, _ := diagnose.ParseService(sc.Service)
	env := wizardcmd.Env(f, cloud.Config, cloud.SMTP)
	env.Banner = wizard.Banner{Demo: true, Scenario: sc.Name, AsOf: sc.AsOf}
	env.Now = cloud.Server.Now
	env.SignIn = f.DemoSignIn(signIn, cloud)
	env.StandIns = steps.StandIns{
		SignInAs:          func(m steps.Mode) string { return signInAs(cloud, m) },
		ApproveSignIn:     cloud.ApproveSignIn,
		CreateAppPassword: cloud.Server.CreateAppPassword,
		AllowAppPasswords: cloud.Server.AllowAppPasswords,
	}
	if cloud.Server.HasApp() {
		env.StandIns.TypeIntoApp = cloud.Server.TypeIntoApp
	}
	env.Journal = journal
	env.SuggestedUPN = cloud.Account
	env.SuggestedService = service
	return env
}

// signInAs makes the simulated person at the browser the account owner on
// the end-user path and the admin on the admin path, and returns who.
func signInAs(cloud *demo.Cloud, m steps.Mode) string {
	upn := cloud.Admin
	if m == steps.ModeEndUser {
		upn = cloud.Account
	}
	if err := cloud.SetPerson(upn); err != nil {
		return cloud.Server.Person() // a scenario file without that account: whoever signs in now
	}
	return upn
}
