package graphclient_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/simcloud"
)

// The browser sign-in runs MSAL's interactive flow: the page's address is
// handed to the opener with PKCE and form_post, the simulated person signs
// in, the code comes back to MSAL's loopback listener and is redeemed, and
// later calls sign in silently from the cache.
func TestBrowserSignIn(t *testing.T) {
	e := newEnv(t, "classic")
	if err := e.cloud.SetPerson(backupUPN); err != nil {
		t.Fatal(err)
	}
	opened := make(chan string, 1)
	b, err := e.client.StartBrowserSignIn(ctxT(t), func(u string) error {
		opened <- u
		return e.cloud.Browse(ctxT(t), u)
	})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := url.Parse(<-opened)
	q := page.Query()
	if b.URL != page.String() || !strings.HasSuffix(page.Path, "/oauth2/v2.0/authorize") || q.Get("code_challenge_method") != "S256" ||
		q.Get("response_mode") != "form_post" || !strings.HasPrefix(q.Get("redirect_uri"), "http://localhost:") || b.OpenErr != nil {
		t.Fatalf("sign-in page %s (open error %v)", b.URL, b.OpenErr)
	}
	acct, err := e.client.FinishBrowserSignIn(ctxT(t), b)
	if err != nil {
		t.Fatal(err)
	}
	if acct.UserPrincipalName != backupUPN {
		t.Fatalf("signed in %+v, want the owner", acct)
	}
	if me, err := e.client.Me(ctxT(t)); err != nil || me.UserPrincipalName != backupUPN {
		t.Fatalf("me = %+v, %v", me, err)
	}
}

// A browser that cannot open leaves the sign-in waiting for the address to
// be opened by hand; cancelling stops the wait.
func TestBrowserThatCannotOpen(t *testing.T) {
	e := newEnv(t, "classic")
	ctx, cancel := context.WithCancel(ctxT(t))
	b, err := e.client.StartBrowserSignIn(ctx, func(string) error { return errors.New("no browser here") })
	if err != nil {
		t.Fatal(err)
	}
	if b.OpenErr == nil || b.URL == "" {
		t.Fatalf("got %+v", b)
	}
	if err := e.cloud.Browse(ctx, b.URL); err != nil { // the person opens it by hand
		t.Fatal(err)
	}
	if _, err := e.client.FinishBrowserSignIn(ctx, b); err != nil {
		t.Fatal(err)
	}

	b, err = e.client.StartBrowserSignIn(ctx, func(string) error { return errors.New("no browser here") })
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := e.client.FinishBrowserSignIn(context.Background(), b); !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: %v", err)
	}
}

// A refusal sent back to the loopback address is an *EntraError with its code.
func TestBrowserSignInDeclined(t *testing.T) {
	e := newEnv(t, "classic")
	e.srv.AddFault(simcloud.Fault{Kind: simcloud.FaultSignInDeclined, Endpoint: "authorize", Times: 1})
	b, err := e.client.StartBrowserSignIn(ctxT(t), func(u string) error { return e.cloud.Browse(ctxT(t), u) })
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.FinishBrowserSignIn(ctxT(t), b)
	var ee *graphclient.EntraError
	if !errors.As(err, &ee) || !ee.HasCode(65004) || ee.Error() != "Entra ID refused the sign-in (AADSTS65004)" {
		t.Fatalf("got %v", err)
	}
}
