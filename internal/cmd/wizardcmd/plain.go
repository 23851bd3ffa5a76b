package wizardcmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/internal/cmd/diagnosecmd"
	"github.com/apppass/apppass/internal/cmdutil"
)

// plainWizard is the wizard without a full screen: it explains, or asks its
// questions as plain prompts and prints the diagnosis.
func plainWizard(ctx context.Context, f *cmdutil.Factory, o Options) error {
	if !f.IO.InTTY && !o.Accessible {
		return errors.New("the wizard needs an interactive terminal. Without one, use: apppass diagnose --user UPN --service smtp (or apppass diagnose --demo); see apppass help")
	}
	stderr := f.IO.ErrOut
	p := f.Prompter(ctx)
	args := []string{}
	if o.IsDemo {
		args = append(args, "--demo")
		if o.Demo.Scenario != "" {
			args = append(args, "--scenario", o.Demo.Scenario)
		}
		if o.Demo.ScenarioFile != "" {
			args = append(args, "--scenario-file", o.Demo.ScenarioFile)
		}
	} else {
		args = append(args, "--cloud", o.Live.Cloud, "--tenant", o.Live.Tenant, "--client-id", o.Live.ClientID)
	}
	fmt.Fprintln(stderr, "apppass (plain mode): answer the questions; the changes themselves need the full-screen wizard.")
	upn, err := p.Line("Account the app signs in as (empty: the demo's account): ")
	if err != nil {
		return err
	}
	if upn != "" {
		args = append(args, "--user", upn)
	}
	service, err := p.Line("What the app uses: smtp, sharepoint, exchange or other (empty: smtp): ")
	if err != nil {
		return err
	}
	if service == "" {
		service = string(diagnose.ServiceSMTP)
	}
	args = append(args, "--service", service)
	pasted, err := p.Line("The app's error message (optional): ")
	if err != nil {
		return err
	}
	if pasted != "" {
		args = append(args, "--error", pasted)
	}
	return diagnosecmd.Run(ctx, f, args)
}
