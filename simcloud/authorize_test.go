package simcloud

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	redirectURI = "http://localhost:8400/"
	verifier    = "a-verifier-of-at-least-forty-three-characters-0123456789"
)

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// hidden reads a page's hidden form fields.
func hidden(page string) url.Values {
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(page, -1) {
		v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return v
}

func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorizeQuery is a request as MSAL makes it; extra pairs override.
func authorizeQuery(extra ...string) string {
	q := url.Values{
		"client_id": {"c"}, "response_type": {"code"}, "redirect_uri": {redirectURI},
		"scope": {"User.Read openid profile offline_access"}, "state": {"st4te"}, "nonce": {"n0nce"},
		"code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}, "client_info": {"1"},
		"login_hint": {backup},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return "/contoso.onmicrosoft.com/oauth2/v2.0/authorize?" + q.Encode()
}

// signIn opens the sign-in page and posts a name and password to it.
func (c *testClient) signIn(query, login, password string) testResponse {
	c.t.Helper()
	form := c.get(query)
	ctx := hidden(form.raw).Get("ctx")
	if form.status != 200 || ctx == "" || !strings.Contains(form.raw, `value="`+login+`"`) {
		c.t.Fatalf("sign-in page: %d %s", form.status, form.raw)
	}
	return c.form("/contoso.onmicrosoft.com/login", url.Values{"ctx": {ctx}, "login": {login}, "passwd": {password}})
}

func (c *testClient) redeem(code, verifier string) testResponse {
	return c.form("/contoso.onmicrosoft.com/oauth2/v2.0/token", url.Values{
		"grant_type": {"authorization_code"}, "client_id": {"c"}, "code": {code},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}, "scope": {"User.Read openid profile offline_access"},
	})
}

// The browser sign-in: the page takes the person's password, the code
// comes back to the loopback URI with the state, and it is redeemed once,
// with the PKCE verifier, for tokens whose id token carries the nonce.
func TestAuthorizationCodeWithPKCE(t *testing.T) {
	c := startServer(t, "classic")
	wrong := c.signIn(authorizeQuery(), backup, "wrong")
	if wrong.status != 400 || !strings.Contains(wrong.raw, "AADSTS50126") {
		t.Fatalf("wrong password: %d %s", wrong.status, wrong.raw)
	}
	back := c.signIn(authorizeQuery(), backup, "Backup-Sim-2026!")
	loc, _ := url.Parse(back.header.Get("Location"))
	q := loc.Query()
	if back.status != 302 || !strings.HasPrefix(loc.String(), redirectURI+"?") || q.Get("state") != "st4te" ||
		q.Get("code") == "" || !isGUID(q.Get("session_state")) || q.Get("client_info") == "" {
		t.Fatalf("redirect: %d %v", back.status, back.header)
	}
	assertEntraError(t, c.redeem(q.Get("code"), "not-the-verifier"), 400, "invalid_grant", 501481)
	tok := c.redeem(q.Get("code"), verifier)
	if tok.status != 200 {
		t.Fatalf("redeem: %s", tok.raw)
	}
	var claims map[string]any
	decodeSegment(t, strings.Split(tok.json["id_token"].(string), ".")[1], &claims)
	if claims["nonce"] != "n0nce" || claims["preferred_username"] != backup {
		t.Fatalf("id token claims %v", claims)
	}
	c.access = tok.json["access_token"].(string)
	if me := c.graph("GET", "/v1.0/me", nil); me.json["userPrincipalName"] != backup {
		t.Fatalf("me: %s", me.raw)
	}
	assertEntraError(t, c.redeem(q.Get("code"), verifier), 400, "invalid_grant", 54005)

	late := c.signIn(authorizeQuery(), backup, "Backup-Sim-2026!")
	code := mustQuery(t, late).Get("code")
	c.clock.Advance(authCodeLifetime + time.Second)
	assertEntraError(t, c.redeem(code, verifier), 400, "invalid_grant", 70008)
	assertEntraError(t, c.redeem("simAC.forged", verifier), 400, "invalid_grant", 9002313)
}

func mustQuery(t *testing.T, r testResponse) url.Values {
	t.Helper()
	loc, err := url.Parse(r.header.Get("Location"))
	if r.status != 302 || err != nil {
		t.Fatalf("not a redirect: %d %v", r.status, r.header)
	}
	return loc.Query()
}

// response_mode=form_post (MSAL for Node's loopback) answers a page that
// posts the code to the redirect URI; fragment puts it after the #.
func TestAuthorizationResponseModes(t *testing.T) {
	c := startServer(t, "classic")
	post := c.signIn(authorizeQuery("response_mode", "form_post"), backup, "Backup-Sim-2026!")
	fields := hidden(post.raw)
	if post.status != 200 || !strings.Contains(post.raw, `action="`+redirectURI+`"`) || fields.Get("code") == "" || fields.Get("state") != "st4te" {
		t.Fatalf("form_post: %d %s", post.status, post.raw)
	}
	if tok := c.redeem(fields.Get("code"), verifier); tok.status != 200 {
		t.Fatalf("redeem: %s", tok.raw)
	}
	frag := c.signIn(authorizeQuery("response_mode", "fragment"), backup, "Backup-Sim-2026!")
	loc, _ := url.Parse(frag.header.Get("Location"))
	if frag.status != 302 || loc.RawQuery != "" || !strings.Contains(loc.Fragment, "code=") {
		t.Fatalf("fragment: %d %v", frag.status, frag.header)
	}
}

// A redirect URI that is not loopback is refused on the page, never
// followed; other errors go back to the app with the state.
func TestAuthorizationErrors(t *testing.T) {
	c := startServer(t, "classic")
	evil := c.get(authorizeQuery("redirect_uri", "https://evil.example/"))
	if evil.status != 400 || evil.header.Get("Location") != "" || !strings.Contains(evil.raw, "AADSTS50011") {
		t.Fatalf("foreign redirect: %d %s", evil.status, evil.raw)
	}
	q := mustQuery(t, c.get(authorizeQuery("response_type", "token")))
	if q.Get("error") != "unsupported_response_type" || !strings.HasPrefix(q.Get("error_description"), "AADSTS700054: ") || q.Get("state") != "st4te" {
		t.Fatalf("response_type: %v", q)
	}
	stale := c.form("/contoso.onmicrosoft.com/login", url.Values{"ctx": {"simCtx.forged"}, "login": {backup}, "passwd": {"x"}})
	if stale.status != 400 {
		t.Fatalf("unknown ctx: %d", stale.status)
	}
}
