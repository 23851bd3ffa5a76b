package cmdutil

import (
	"context"
	"fmt"
	"io"

	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// UseExchangeApp signs the admin in to their own app registration for
// Exchange's admin endpoint (--exchange-client-id) and has client take its
// Exchange tokens from it. Without the flag nothing happens. A failed
// sign-in, or one as another account, is said on stderr and makes the
// Exchange reads fail (could not check) rather than go through another app.
func (f *Factory) UseExchangeApp(ctx context.Context, client *graphclient.Client, cfg graphclient.Config, clientID string, way flow.SignInWay, stderr io.Writer) {
	if clientID == "" {
		return
	}
	admin := client.Account()
	fail := func(err error) {
		fmt.Fprintf(termsafe.Writer(stderr), "Exchange's SMTP AUTH switches will not be read: %v\n", err)
		client.UseExchangeTokens(graphclient.FailedTokenSource{Err: err})
	}
	xcfg, err := graphclient.ExchangeAppConfig(cfg, clientID, admin.UserPrincipalName)
	if err != nil {
		fail(err)
		return
	}
	app, err := f.NewClient(xcfg)
	if err != nil {
		fail(err)
		return
	}
	fmt.Fprintf(termsafe.Writer(stderr), "Signing in to the app registration %s for Exchange Online's admin endpoint.\n", clientID)
	consent, _ := graphclient.AdminConsentURL(xcfg)
	if err := SignIn(ctx, app, way, consent, stderr); err != nil {
		fail(fmt.Errorf("the sign-in to %s did not complete: %w", clientID, err))
		return
	}
	if got := app.Account(); got.ObjectID != admin.ObjectID || got.TenantID != admin.TenantID {
		fail(fmt.Errorf("the app registration %s is signed in as %s, not %s; Exchange would answer for that account", clientID, got.UserPrincipalName, admin.UserPrincipalName))
		return
	}
	client.UseExchangeTokens(app)
}
