package cmdutil

import (
	"context"
	"fmt"
	"io"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/termsafe"
)

// LiveSignIn is how a live run signs in: the browser through $BROWSER or
// the platform's opener, or a device code when asked or when no browser
// can open here.
func (f *Factory) LiveSignIn(flags SignInFlags) flow.SignInWay {
	return flow.SignInWay{DeviceCodeWhy: flags.DeviceCodeWhy(f.Config.NoBrowser), Open: f.Browser}
}

// DemoSignIn is how a demo signs in: the browser, whose page the simulated
// person opens (or $BROWSER's command, when set), or a device code when
// asked.
func (f *Factory) DemoSignIn(flags SignInFlags, cloud *demo.Cloud) flow.SignInWay {
	open := cloud.OpenSignIn
	if f.Config.Browser != "" {
		open = f.Browser
	}
	return flow.SignInWay{DeviceCodeWhy: flags.DeviceCodeWhy(""), Open: open}
}

// SignIn signs a command without screens in, saying what to do on stderr:
// from the cache, else in the browser (or with a device code), and with a
// device code when the browser sign-in fails (flow's one driver, as lines).
func SignIn(ctx context.Context, client flow.Authenticator, way flow.SignInWay, consentURL string, stderr io.Writer) error {
	lines := &flow.SignInLines{Say: SayTo(stderr), Way: way, ConsentURL: consentURL}
	if _, err := (flow.SignIn{Auth: client, Way: way}).Run(ctx, lines); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %w", ErrSignIn, err)
	}
	return nil
}

// SayTo prints lines on w, cleaned for a terminal.
func SayTo(w io.Writer) func(line string) {
	return func(line string) { fmt.Fprintln(termsafe.Writer(w), line) }
}
