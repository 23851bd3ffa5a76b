package flow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
	"github.com/apppass/apppass/smtpauth"
)

// ownerSMTP is the OAuth test's wiring as the commands build it: the
// owner's own client for SMTP.Send, no token cache, and SMTP AUTH.
func ownerSMTP(cloud *demo.Cloud) flow.OAuthSMTP {
	return flow.OAuthSMTP{
		Connect: func(upn string) (flow.OAuthClient, error) {
			cfg := cloud.Config
			cfg.Scopes, cfg.LoginHint = []string{cfg.Cloud.SMTPScope}, upn
			return graphclient.New(cfg)
		},
		Test: func(ctx context.Context, upn, token string) (string, error) {
			return smtpauth.TestOAuth(ctx, cloud.SMTP, upn, token)
		},
	}
}

// The owner signs in in the browser (for SMTP.Send, named by the login
// hint), XOAUTH2 is accepted, and the reply is classified as the route
// working.
func TestOAuthTestWorks(t *testing.T) {
	cloud := start(t)
	if err := cloud.SetPerson(cloud.Account); err != nil {
		t.Fatal(err)
	}
	p := &person{cloud: cloud}
	res, err := flow.OAuthTest{SMTP: ownerSMTP(cloud), Way: flow.SignInWay{Open: cloud.OpenSignIn}, UPN: cloud.Account}.Run(testkit.Context(t), p)
	if err != nil || !strings.HasPrefix(res.Reply, "235") || !res.Works() || res.Outcome() != diagnose.OutcomeDone {
		t.Fatalf("%+v, %v", res, err)
	}
	if p.seen() != "starting/browser browser/browser done" || !strings.Contains(p.states[1].Page.URL, "SMTP.Send") {
		t.Fatalf("states %s", p.seen())
	}
}

// Entra's refusal of the owner's sign-in is the test's answer
// ("AADSTS65004: ..."), a failed outcome; a run with no way to sign in
// for SMTP.Send, or a person who quits, gives no answer.
func TestOAuthTestRefusedAndUnanswered(t *testing.T) {
	cloud := start(t, simcloud.Fault{Kind: simcloud.FaultSignInDeclined, Endpoint: "authorize", Times: 1})
	if err := cloud.SetPerson(cloud.Account); err != nil {
		t.Fatal(err)
	}
	ctx := testkit.Context(t)
	test := flow.OAuthTest{SMTP: ownerSMTP(cloud), Way: flow.SignInWay{Open: cloud.OpenSignIn}, UPN: cloud.Account}
	res, err := test.Run(ctx, &person{cloud: cloud})
	if err != nil || !strings.HasPrefix(res.Reply, "AADSTS65004: ") || res.Finding.ID != "oauth-smtp-token-refused" || res.Outcome() != diagnose.OutcomeFailed {
		t.Fatalf("%+v, %v", res, err)
	}
	if _, err := (flow.OAuthTest{UPN: cloud.Account}).Run(ctx, &person{cloud: cloud}); !errors.Is(err, flow.ErrNoOAuth) {
		t.Fatalf("no OAuth wiring: %v", err)
	}
	quit := errors.New("ctrl+c")
	p := &person{cloud: cloud, act: func(flow.SignInEvent) error { return quit }}
	if _, err := test.Run(ctx, p); !errors.Is(err, quit) {
		t.Fatalf("quit: %v", err)
	}
}

// Plain mode and the commands print the states as lines: the address and
// the code on lines of their own, a refusal explained, the code offered
// (asked first when Ask is set), who signed in.
func TestSignInLines(t *testing.T) {
	for _, asking := range []bool{false, true} {
		cloud := start(t, simcloud.Fault{Kind: simcloud.FaultSignInDeclined, Endpoint: "authorize", Times: 1})
		var lines []string
		var asked []string
		l := &flow.SignInLines{Say: func(line string) { lines = append(lines, line) }, AppName: "Graph CLI",
			Waiting: func() error { cloud.ApproveSignIn(); return nil }}
		if asking {
			l.Ask = func(_ context.Context, q string) (bool, error) { asked = append(asked, q); return true, nil }
		}
		acct, err := flow.SignIn{Auth: newClient(t, cloud), Way: flow.SignInWay{Open: cloud.OpenSignIn}}.Run(testkit.Context(t), l)
		out := strings.Join(lines, "\n")
		if err != nil || acct.UserPrincipalName != cloud.Admin {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, want := range []string{"\nhttps://", "You are approving Graph CLI.", "The consent was declined (AADSTS65004)", "and enter the code ", "Signed in as " + cloud.Admin + "."} {
			if !strings.Contains(out, want) {
				t.Fatalf("asking %v: %q missing:\n%s", asking, want, out)
			}
		}
		if asking != (len(asked) == 1) || asking == strings.Contains(out, "Signing in with a code instead.") {
			t.Fatalf("asking %v: asked %q\n%s", asking, asked, out)
		}
	}
}
