package cmdutil

import (
	"bytes"
	"strings"
	"testing"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
)

// The Exchange app registration must be signed in as the admin who signed
// in to Graph: as anyone else, Exchange would answer for that account, so
// the reads fail and stderr says why; as the admin they read.
func TestUseExchangeAppIsTheSameAccount(t *testing.T) {
	sc, err := simcloud.LoadScenario("mailbox-smtp-off")
	if err != nil {
		t.Fatal(err)
	}
	sc.Tenant.SMTPOAuthNeedsOwnApp = true
	cloud, err := demo.Start(sc, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	ctx := testkit.Context(t)
	client, err := cloud.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := &Factory{NewClient: graphclient.New}
	// The simulated person opens the page as soon as apppass shows it.
	way := flow.SignInWay{Open: func(url string) error {
		if err := cloud.OpenSignIn(url); err != nil {
			return err
		}
		go cloud.ApproveSignIn()
		return nil
	}}
	const app = "5f1c2a9e-0000-4000-8000-00000000abcd"
	if err := cloud.SetPerson(sc.Account); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	f.UseExchangeApp(ctx, client, cloud.Config, app, way, &stderr)
	if _, err := client.TransportConfig(ctx); err == nil || !strings.Contains(err.Error(), "not "+sc.Admin) || !strings.Contains(stderr.String(), "will not be read") {
		t.Fatalf("the app signed in as the account owner: %v\n%s", err, stderr.String())
	}
	if err := cloud.SetPerson(sc.Admin); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	f.UseExchangeApp(ctx, client, cloud.Config, app, way, &stderr)
	if _, err := client.TransportConfig(ctx); err != nil {
		t.Fatalf("the app signed in as the admin: %v\n%s", err, stderr.String())
	}
}
