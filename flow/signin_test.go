package flow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apppass/apppass/demo"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
)

// start starts a simulated cloud for the classic scenario with faults.
func start(t *testing.T, faults ...simcloud.Fault) *demo.Cloud {
	t.Helper()
	sc, err := simcloud.LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	cloud, err := demo.Start(sc, demo.Options{Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	return cloud
}

// newClient is a real MSAL client on the simulated cloud, signed in to nothing.
func newClient(t *testing.T, cloud *demo.Cloud) *graphclient.Client {
	t.Helper()
	cfg := cloud.Config
	cfg.Scopes = graphclient.AdminScopes
	client, err := graphclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// person is a front end that records every state and plays the person
// at the browser: it approves the page or the code as soon as it shows.
type person struct {
	cloud  *demo.Cloud
	states []flow.SignInEvent
	// act plays the person at a state (nil: approve what is shown).
	act func(ev flow.SignInEvent) error
	// next chooses the way after a failure (nil: give up).
	next func(ev flow.SignInEvent) (flow.Via, bool)
}

func (p *person) Show(ev flow.SignInEvent) error {
	p.states = append(p.states, ev)
	if p.act != nil {
		if err := p.act(ev); err != nil {
			return err
		}
	}
	if p.act == nil && (ev.State == flow.SignInWaitingForBrowser || ev.State == flow.SignInShowingCode) {
		p.cloud.ApproveSignIn()
	}
	return nil
}

func (p *person) Next(_ context.Context, ev flow.SignInEvent) (flow.Via, bool, error) {
	if p.next == nil {
		return 0, false, nil
	}
	via, ok := p.next(ev)
	return via, ok, nil
}

// seen is the states in order, as "state/via" words.
func (p *person) seen() string {
	var words []string
	for _, ev := range p.states {
		w := [...]string{"starting", "browser", "code", "done", "failed"}[ev.State]
		if ev.State == flow.SignInDone && ev.Silent {
			w = "saved"
		} else if ev.State != flow.SignInDone {
			w += "/" + [...]string{"browser", "code"}[ev.Via]
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// A saved sign-in signs in with no one taking part: one state, silent.
func TestSignInFromTheSavedSignIn(t *testing.T) {
	cloud := start(t)
	client := newClient(t, cloud)
	ctx := testkit.Context(t)
	if _, err := cloud.SignIn(ctx, client); err != nil {
		t.Fatal(err)
	}
	p := &person{cloud: cloud}
	acct, err := flow.SignIn{Auth: client, Way: flow.SignInWay{Open: cloud.OpenSignIn}}.Run(ctx, p)
	if err != nil || acct.UserPrincipalName != cloud.Admin || p.seen() != "saved" {
		t.Fatalf("%+v, %v; states %s", acct, err, p.seen())
	}
	// Anew (the OAuth test's client) never asks the cache.
	p = &person{cloud: cloud}
	if _, err := (flow.SignIn{Auth: client, Way: flow.SignInWay{Open: cloud.OpenSignIn}, Anew: true}).Run(ctx, p); err != nil || p.seen() != "starting/browser browser/browser done" {
		t.Fatalf("anew: %v; states %s", err, p.seen())
	}
}

// The browser is the default: the page's address (Entra's authorize
// endpoint with PKCE) is shown, the person signs in there, MSAL's loopback
// gets the answer.
func TestSignInInTheBrowser(t *testing.T) {
	cloud := start(t)
	p := &person{cloud: cloud}
	acct, err := flow.SignIn{Auth: newClient(t, cloud), Way: flow.SignInWay{Open: cloud.OpenSignIn}}.Run(testkit.Context(t), p)
	if err != nil || acct.UserPrincipalName != cloud.Admin {
		t.Fatalf("%+v, %v", acct, err)
	}
	if p.seen() != "starting/browser browser/browser done" {
		t.Fatalf("states %s", p.seen())
	}
	page := p.states[1].Page
	if !strings.Contains(page.URL, "/oauth2/v2.0/authorize?") || !strings.Contains(page.URL, "code_challenge_method=S256") || page.OpenErr != nil {
		t.Fatalf("page %+v", page)
	}
	if p.states[2].Account.UserPrincipalName != cloud.Admin {
		t.Fatalf("the done state names %+v", p.states[2].Account)
	}
}

// Where nothing can open a browser, the page is still shown with why, and
// opening it by hand signs in.
func TestSignInWithNoBrowserToOpen(t *testing.T) {
	cloud := start(t)
	ctx := testkit.Context(t)
	p := &person{cloud: cloud}
	p.act = func(ev flow.SignInEvent) error {
		if ev.State == flow.SignInWaitingForBrowser {
			if !errors.Is(ev.Page.OpenErr, flow.ErrNoOpener) {
				t.Errorf("OpenErr %v", ev.Page.OpenErr)
			}
			return cloud.Browse(ctx, ev.Page.URL) // the address, opened by hand
		}
		return nil
	}
	if _, err := (flow.SignIn{Auth: newClient(t, cloud)}).Run(ctx, p); err != nil || p.seen() != "starting/browser browser/browser done" {
		t.Fatalf("%v; states %s", err, p.seen())
	}
}

// A device code when the way says why: the code and where to enter it.
func TestSignInWithADeviceCode(t *testing.T) {
	cloud := start(t)
	p := &person{cloud: cloud}
	acct, err := flow.SignIn{Auth: newClient(t, cloud), Way: flow.SignInWay{DeviceCodeWhy: "--device-code asked for it", Open: cloud.OpenSignIn}}.Run(testkit.Context(t), p)
	if err != nil || acct.UserPrincipalName != cloud.Admin || p.seen() != "starting/code code/code done" {
		t.Fatalf("%+v, %v; states %s", acct, err, p.seen())
	}
	if code := p.states[1].Code; code.UserCode == "" || code.VerificationURL == "" {
		t.Fatalf("code %+v", code)
	}
}

// A browser sign-in declined in the browser fails with Entra's reason,
// explained; the way the front end chooses next (a code) signs in.
func TestSignInFailsThenTheOtherWay(t *testing.T) {
	cloud := start(t, simcloud.Fault{Kind: simcloud.FaultSignInDeclined, Endpoint: "authorize", Times: 1})
	p := &person{cloud: cloud, next: func(ev flow.SignInEvent) (flow.Via, bool) { return ev.Via.Other(), true }}
	acct, err := flow.SignIn{Auth: newClient(t, cloud), Way: flow.SignInWay{Open: cloud.OpenSignIn}}.Run(testkit.Context(t), p)
	if err != nil || acct.UserPrincipalName != cloud.Admin {
		t.Fatalf("%+v, %v", acct, err)
	}
	if p.seen() != "starting/browser browser/browser failed/browser starting/code code/code done" {
		t.Fatalf("states %s", p.seen())
	}
	if headline, next := p.states[2].Trouble(""); !strings.Contains(headline, "declined (AADSTS65004)") || next == "" {
		t.Fatalf("trouble %q %q", headline, next)
	}
}

// A failure the front end does not follow up ends the sign-in with Entra's
// error: a device code the tenant blocks (AADSTS53003), explained as such.
func TestSignInFailureEndsIt(t *testing.T) {
	cases := map[simcloud.FaultKind]string{
		simcloud.FaultCABlocksDeviceCode: "blocks signing in with a device code",
		simcloud.FaultDeviceCodeDeclined: "declined",
		simcloud.FaultDeviceCodeExpired:  "expired",
	}
	for fault, want := range cases {
		t.Run(string(fault), func(t *testing.T) {
			cloud := start(t, simcloud.Fault{Kind: fault, Times: 1})
			p := &person{cloud: cloud}
			_, err := flow.SignIn{Auth: newClient(t, cloud), Way: flow.SignInWay{DeviceCodeWhy: "asked"}}.Run(testkit.Context(t), p)
			var ee *graphclient.EntraError
			if !errors.As(err, &ee) || p.seen() != "starting/code code/code failed/code" {
				t.Fatalf("%v; states %s", err, p.seen())
			}
			if headline, _ := p.states[2].Trouble(""); !strings.Contains(headline, want) {
				t.Fatalf("trouble %q, want %q", headline, want)
			}
		})
	}
}

// Leaving (a cancelled context) or quitting at the front end ends the
// sign-in with that error, and no failure is shown.
func TestSignInEndsWithoutAFailure(t *testing.T) {
	cloud := start(t)
	ctx, cancel := context.WithCancel(testkit.Context(t))
	p := &person{cloud: cloud, act: func(ev flow.SignInEvent) error {
		if ev.State == flow.SignInWaitingForBrowser {
			cancel() // the person switched ways or left while the page waits
		}
		return nil
	}}
	if _, err := (flow.SignIn{Auth: newClient(t, cloud), Way: flow.SignInWay{Open: cloud.OpenSignIn}}).Run(ctx, p); !errors.Is(err, context.Canceled) || p.seen() != "starting/browser browser/browser" {
		t.Fatalf("cancelled: %v; states %s", err, p.seen())
	}
	quit := errors.New("ctrl+c")
	p = &person{cloud: cloud, act: func(ev flow.SignInEvent) error {
		if ev.State == flow.SignInShowingCode {
			return quit
		}
		return nil
	}}
	if _, err := (flow.SignIn{Auth: newClient(t, cloud), Way: flow.SignInWay{DeviceCodeWhy: "asked"}}).Run(testkit.Context(t), p); !errors.Is(err, quit) || p.seen() != "starting/code code/code" {
		t.Fatalf("quit: %v; states %s", err, p.seen())
	}
}
