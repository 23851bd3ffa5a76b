package simcloud

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// loopback is an app's redirect listener: it records the form_post answers
// a browser (or, signing in at once, simcloud) delivers to it.
type loopback struct {
	url     string
	answers chan url.Values
}

func startLoopback(t *testing.T) *loopback {
	t.Helper()
	l := &loopback{answers: make(chan url.Values, 4)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.ParseForm() != nil {
			http.Error(w, "form_post only", http.StatusMethodNotAllowed)
			return
		}
		l.answers <- r.PostForm
	}))
	t.Cleanup(srv.Close)
	l.url = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/"
	return l
}

// atOnce starts the scenario with SignInAtOnce.
func atOnce(t *testing.T, scenario string) *testClient {
	t.Helper()
	return startServerWith(t, scenario, Options{SignInAtOnce: true})
}

// idTokenUser redeems a code and returns the id token's preferred_username.
func (c *testClient) idTokenUser(code, redirect string) string {
	c.t.Helper()
	tok := c.form("/contoso.onmicrosoft.com/oauth2/v2.0/token", url.Values{
		"grant_type": {"authorization_code"}, "client_id": {"c"}, "code": {code},
		"redirect_uri": {redirect}, "code_verifier": {verifier}, "scope": {"User.Read openid profile offline_access"},
	})
	if tok.status != 200 {
		c.t.Fatalf("redeem: %s", tok.raw)
	}
	var claims map[string]any
	decodeSegment(c.t, strings.Split(tok.json["id_token"].(string), ".")[1], &claims)
	name, _ := claims["preferred_username"].(string)
	return name
}

// Signing in at once, the authorize page signs in whoever is at the
// browser: a form_post answer reaches the app's loopback listener from
// simcloud itself (a fetch that runs no script completes it), a query
// answer is a redirect, and the person can be the admin or the owner.
func TestSignInAtOnce(t *testing.T) {
	c := atOnce(t, "classic")
	app := startLoopback(t)
	page := c.get(authorizeQuery("redirect_uri", app.url, "response_mode", "form_post"))
	if page.status != 200 || !strings.Contains(page.raw, c.srv.scenario.Admin+" is signed in") {
		t.Fatalf("page: %d %s", page.status, page.raw)
	}
	got := <-app.answers
	if got.Get("state") != "st4te" || got.Get("code") == "" {
		t.Fatalf("loopback got %v", got)
	}
	if who := c.idTokenUser(got.Get("code"), app.url); who != c.srv.scenario.Admin {
		t.Fatalf("signed in %q, want the admin", who)
	}

	if err := c.srv.SetPerson("nobody@contoso.onmicrosoft.com"); err == nil {
		t.Fatal("SetPerson accepted an unknown account")
	}
	if err := c.srv.SetPerson(strings.ToUpper(backup)); err != nil {
		t.Fatal(err)
	}
	q := mustQuery(t, c.get(authorizeQuery("redirect_uri", redirectURI)))
	if who := c.idTokenUser(q.Get("code"), redirectURI); who != backup {
		t.Fatalf("signed in %q, want the owner", who)
	}
}

// A declined consent goes back to the app as access_denied with AADSTS65004.
func TestSignInDeclined(t *testing.T) {
	c := atOnce(t, "classic")
	if err := c.srv.AddFault(Fault{Kind: FaultSignInDeclined, Endpoint: "authorize", Times: 1}); err != nil {
		t.Fatal(err)
	}
	app := startLoopback(t)
	c.get(authorizeQuery("redirect_uri", app.url, "response_mode", "form_post"))
	got := <-app.answers
	if got.Get("error") != "access_denied" || !strings.HasPrefix(got.Get("error_description"), "AADSTS65004: ") || got.Get("code") != "" {
		t.Fatalf("loopback got %v", got)
	}
}

// A device code is approved as the person at the browser.
func TestDeviceCodeApprovedAsThePerson(t *testing.T) {
	c := startServer(t, "classic")
	if err := c.srv.SetPerson(backup); err != nil {
		t.Fatal(err)
	}
	tok := c.deviceCodeToken("organizations")
	c.access, _ = tok.json["access_token"].(string)
	if me := c.graph("GET", "/v1.0/me", nil); me.json["userPrincipalName"] != backup {
		t.Fatalf("me: %s", me.raw)
	}
}
