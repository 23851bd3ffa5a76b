package smtpauth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/smtpauth"
)

// ownerToken signs the account owner in through MSAL for SMTP.Send, as the
// OAuth test does, and returns the access token.
func ownerToken(t *testing.T, cloud *demo.Cloud) string {
	t.Helper()
	ctx := testkit.Context(t)
	if err := cloud.SetPerson(backup); err != nil {
		t.Fatal(err)
	}
	cfg := cloud.Config
	cfg.Scopes, cfg.LoginHint = []string{cfg.Cloud.SMTPScope}, backup
	client, err := graphclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := client.StartBrowserSignIn(ctx, func(u string) error { return cloud.Browse(ctx, u) })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.URL, "login_hint=backup%40") || !strings.Contains(b.URL, "SMTP.Send") {
		t.Fatalf("sign-in page %s", b.URL)
	}
	if _, err := client.FinishBrowserSignIn(ctx, b); err != nil {
		t.Fatal(err)
	}
	token, err := client.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func startCloud(t *testing.T, mutate func(*simcloud.Scenario)) (*demo.Cloud, smtpauth.Config) {
	t.Helper()
	sc, err := simcloud.LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(sc)
	}
	cloud, err := demo.Start(sc, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	cfg := cloud.SMTP
	cfg.Timeout = testkit.Patience(t)
	return cloud, cfg
}

// XOAUTH2 with the owner's SMTP.Send token is accepted; a Graph token, or
// the owner's token offered for another account, is refused as Exchange
// Online refuses it; the token never appears in a reply.
func TestOAuthReplies(t *testing.T) {
	cloud, cfg := startCloud(t, nil)
	token := ownerToken(t, cloud)
	graph, err := cloud.Client(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	graphToken, err := graph.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, user, token, want string }{
		{"the owner's token", backup, token, "235 2.7.0"},
		{"a Graph token", cloud.Admin, graphToken, "535 5.7.3"},
		{"another account's token", cloud.Admin, token, "535 5.7.3"},
		{"no token at all", backup, "not-a-token", "535 5.7.3"},
	}
	for _, tc := range cases {
		reply, err := smtpauth.TestOAuth(context.Background(), cfg, tc.user, tc.token)
		if err != nil || !strings.HasPrefix(reply, tc.want) || strings.Contains(reply, tc.token) {
			t.Errorf("%s: got %q, %v; want %s", tc.name, reply, err, tc.want)
		}
	}
}

// The mailbox's SMTP AUTH switch applies to OAuth too.
func TestOAuthHonoursTheMailboxSwitch(t *testing.T) {
	cloud, cfg := startCloud(t, func(sc *simcloud.Scenario) {
		for i := range sc.Users {
			if sc.Users[i].UserPrincipalName == backup {
				sc.Users[i].SMTPAuthDisabled = true
			}
		}
	})
	reply, err := smtpauth.TestOAuth(context.Background(), cfg, backup, ownerToken(t, cloud))
	if err != nil || !strings.HasPrefix(reply, "535 5.7.139") || !strings.Contains(reply, "disabled for the Mailbox") {
		t.Fatalf("got %q, %v", reply, err)
	}
}
