package wizard

import (
	"context"
	"fmt"

	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/steps"
)

// signIn asks whose connection it is, then signs in with the scopes that
// path needs: from the cache, else in the browser or with a device code.
func (p *plain) signIn() error {
	admin, err := p.yes("Is it an account you administer (a service account used by a backup or mail tool)? No means your own connection.")
	if err != nil {
		return err
	}
	p.s.Mode = steps.ModeEndUser
	scopes := graphclient.EndUserScopes
	if admin {
		p.s.Mode, scopes = steps.ModeAdmin, graphclient.AdminScopes
	}
	client, err := p.env.Connect(scopes)
	if err != nil {
		return err
	}
	p.c.Auth, p.c.Graph = client, client
	acct, err := p.runSignIn(flow.SignIn{Auth: client, Way: p.env.SignIn}, p.s.Mode)
	if err != nil {
		return err
	}
	me, err := client.Me(p.ctx)
	if err != nil {
		return err
	}
	org, err := client.Organization(p.ctx)
	if err != nil {
		return err
	}
	roles, _ := client.MyDirectoryRoles(p.ctx)
	steps.Record(steps.SignedIn{Account: acct, Me: me, Tenant: org, Roles: roles}, p.s)
	p.say("Signed in as %s (%s), tenant %s.", me.DisplayName, me.UserPrincipalName, org.DisplayName)
	return nil
}

// runSignIn runs flow's sign-in as plain lines: a browser sign-in that
// fails offers a code. who is the person the demo plays.
func (p *plain) runSignIn(s flow.SignIn, who steps.Mode) (graphclient.Account, error) {
	if as := p.env.StandIns.SignInAs; as != nil {
		as(who)
	}
	acct, err := s.Run(p.ctx, p.signInLines())
	if err != nil {
		if p.ctx.Err() != nil {
			return acct, p.ctx.Err()
		}
		return acct, fmt.Errorf("signing in: %w", err)
	}
	return acct, nil
}

// signInLines prints the sign-in's states and asks its questions.
func (p *plain) signInLines() *flow.SignInLines {
	return &flow.SignInLines{
		Say:        func(line string) { p.say("%s", line) },
		Way:        p.env.SignIn,
		ConsentURL: p.env.ConsentURL,
		AppName:    p.appName(),
		Waiting:    p.demoApproves,
		Ask:        func(_ context.Context, question string) (bool, error) { return p.yes(question) },
		QuietDone:  true,
	}
}

// demoApproves lets enter play the demo's person at the browser (who also
// signs in by themselves in a few seconds).
func (p *plain) demoApproves() error {
	approve := p.env.StandIns.ApproveSignIn
	if approve == nil {
		return nil
	}
	if _, err := p.line("Demo: press enter to sign in now, as if in the browser. "); err != nil {
		return err
	}
	approve()
	return nil
}

func (p *plain) appName() string {
	if p.env.AppName != "" {
		return p.env.AppName
	}
	return defaultAppName
}
