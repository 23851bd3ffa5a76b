package wizard

import (
	"fmt"

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
	acct, err := client.SignInSilent(p.ctx)
	if err != nil {
		if acct, err = p.signInAnew(client, p.s.Mode); err != nil {
			return err
		}
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

// signInAnew signs in in the browser, or with a device code when asked or
// when no browser can open here; a browser sign-in that fails offers the
// code. who is the person the demo plays.
func (p *plain) signInAnew(client steps.Authenticator, who steps.Mode) (graphclient.Account, error) {
	if as := p.env.StandIns.SignInAs; as != nil {
		as(who)
	}
	if why := p.env.SignIn.DeviceCodeWhy; why != "" {
		p.say("Signing in with a code: %s.", why)
		return p.deviceCodeSignIn(client)
	}
	acct, err := p.browserSignIn(client)
	if err == nil || p.ctx.Err() != nil {
		return acct, err
	}
	headline, next := steps.SignInTrouble(err, p.env.ConsentURL, false)
	p.say("%s\n%s", headline, next)
	code, qerr := p.yes("Sign in with a code on any device instead?")
	if qerr != nil {
		return acct, qerr
	}
	if !code {
		return acct, fmt.Errorf("signing in: %w", err)
	}
	return p.deviceCodeSignIn(client)
}

// browserSignIn opens the sign-in page and waits for the browser's answer.
func (p *plain) browserSignIn(client steps.Authenticator) (graphclient.Account, error) {
	open := p.env.SignIn.Open
	if open == nil {
		open = func(string) error { return fmt.Errorf("no way to open a browser") }
	}
	b, err := client.StartBrowserSignIn(p.ctx, open)
	if err != nil {
		return graphclient.Account{}, err
	}
	if b.OpenErr != nil {
		p.say("Could not open a browser here (%v). Open this address in a browser on this computer:", b.OpenErr)
	} else {
		p.say("Sign in in the browser window that opened. If it did not open, open this address in a browser on this computer:")
	}
	p.say("%s", b.URL)
	p.say("You are approving %s. Waiting for you to sign in (ctrl+c stops; --device-code signs in with a code instead).", p.appName())
	if err := p.demoApproves(); err != nil {
		return graphclient.Account{}, err
	}
	return client.FinishBrowserSignIn(p.ctx, b)
}

// deviceCodeSignIn shows a device code and waits until it is entered.
func (p *plain) deviceCodeSignIn(client steps.Authenticator) (graphclient.Account, error) {
	dc, err := client.StartDeviceCode(p.ctx)
	if err != nil {
		return graphclient.Account{}, p.signInFailed(err, true)
	}
	p.say("To sign in, open %s and enter the code %s", dc.VerificationURL, dc.UserCode)
	p.say("You are approving %s. The code expires at %s.", p.appName(), dc.ExpiresAt.Local().Format("15:04"))
	if err := p.demoApproves(); err != nil {
		return graphclient.Account{}, err
	}
	acct, err := client.FinishDeviceCode(p.ctx, dc)
	if err != nil {
		return acct, p.signInFailed(err, true)
	}
	return acct, nil
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

// signInFailed says what went wrong and what to do, then ends the run.
func (p *plain) signInFailed(err error, deviceCode bool) error {
	if p.ctx.Err() != nil {
		return p.ctx.Err()
	}
	headline, next := steps.SignInTrouble(err, p.env.ConsentURL, deviceCode)
	p.say("%s\n%s", headline, next)
	return fmt.Errorf("signing in: %w", err)
}
