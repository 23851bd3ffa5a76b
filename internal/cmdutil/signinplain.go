package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/steps"
	"github.com/apppass/apppass/termsafe"
)

// LiveSignIn is how a live run signs in: the browser through $BROWSER or
// the platform's opener, or a device code when asked or when no browser
// can open here.
func (f *Factory) LiveSignIn(flags SignInFlags) steps.SignInWay {
	return steps.SignInWay{DeviceCodeWhy: flags.DeviceCodeWhy(f.Config.NoBrowser), Open: f.Browser}
}

// DemoSignIn is how a demo signs in: the browser, whose page the simulated
// person opens (or $BROWSER's command, when set), or a device code when
// asked.
func (f *Factory) DemoSignIn(flags SignInFlags, cloud *demo.Cloud) steps.SignInWay {
	open := cloud.OpenSignIn
	if f.Config.Browser != "" {
		open = f.Browser
	}
	return steps.SignInWay{DeviceCodeWhy: flags.DeviceCodeWhy(""), Open: open}
}

// SignIn signs a command without screens in, saying what to do on stderr:
// from the cache, else in the browser (or with a device code), and with a
// device code when the browser sign-in fails.
func SignIn(ctx context.Context, client steps.Authenticator, way steps.SignInWay, consentURL string, stderr io.Writer) error {
	if _, err := client.SignInSilent(ctx); err == nil {
		return nil
	}
	say := func(format string, args ...any) { fmt.Fprintf(termsafe.Writer(stderr), format+"\n", args...) }
	var acct graphclient.Account
	var err error
	if way.DeviceCodeWhy == "" {
		if acct, err = browserSignIn(ctx, client, way.Open, say); err == nil {
			say("Signed in as %s.", acct.UserPrincipalName)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		headline, next := steps.SignInTrouble(err, consentURL, false)
		say("%s\n%s\nSigning in with a code instead.", headline, next)
	} else {
		say("Signing in with a code: %s.", way.DeviceCodeWhy)
	}
	if acct, err = deviceCodeSignIn(ctx, client, say); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		headline, next := steps.SignInTrouble(err, consentURL, true)
		say("%s\n%s", headline, next)
		return fmt.Errorf("%w: %w", ErrSignIn, err)
	}
	say("Signed in as %s.", acct.UserPrincipalName)
	return nil
}

func browserSignIn(ctx context.Context, client steps.Authenticator, open func(string) error, say func(string, ...any)) (graphclient.Account, error) {
	if open == nil {
		open = func(string) error { return errors.New("no way to open a browser") }
	}
	b, err := client.StartBrowserSignIn(ctx, open)
	if err != nil {
		return graphclient.Account{}, err
	}
	if b.OpenErr != nil {
		say("Could not open a browser here (%v). To sign in, open this address in a browser on this computer:\n%s", b.OpenErr, b.URL)
	} else {
		say("To sign in, use the browser window that opened, or open this address in a browser on this computer:\n%s", b.URL)
	}
	return client.FinishBrowserSignIn(ctx, b)
}

func deviceCodeSignIn(ctx context.Context, client steps.Authenticator, say func(string, ...any)) (graphclient.Account, error) {
	dc, err := client.StartDeviceCode(ctx)
	if err != nil {
		return graphclient.Account{}, err
	}
	say("To sign in, open %s and enter the code %s", dc.VerificationURL, dc.UserCode)
	return client.FinishDeviceCode(ctx, dc)
}
