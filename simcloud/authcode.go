package simcloud

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"
)

// authorizations holds the browser sign-ins in progress and the codes
// they issued.
type authorizations struct {
	mu      sync.Mutex
	waiting map[string]authRequest // by the sign-in page's ctx
	codes   map[string]*authCode
}

// begin stores a request until the person signs in and returns its ctx.
func (a *authorizations) begin(req authRequest) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.waiting == nil {
		a.waiting = map[string]authRequest{}
	}
	ctx := newOpaqueToken("simCtx.")
	a.waiting[ctx] = req
	return ctx
}

func (a *authorizations) pending(ctx string) (authRequest, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	req, ok := a.waiting[ctx]
	return req, ok
}

// issue turns a signed-in request into an authorization code.
func (a *authorizations) issue(ctx, userID string, now time.Time) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.codes == nil {
		a.codes = map[string]*authCode{}
	}
	code := newOpaqueToken("simAC.")
	a.codes[code] = &authCode{authRequest: a.waiting[ctx], userID: userID, issued: now}
	delete(a.waiting, ctx)
	return code
}

// redemption is what the token request says about the code it redeems.
type redemption struct {
	code, clientID, redirectURI, verifier string
}

// redeem checks a token request against its code as Entra does and
// returns the code, or the AADSTS code refusing it. A wrong verifier
// leaves the code redeemable, as Entra's is.
func (a *authorizations) redeem(r redemption, now time.Time) (authCode, int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c, ok := a.codes[r.code]
	switch {
	case !ok, c.clientID != r.clientID, c.redirectURI != r.redirectURI:
		return authCode{}, 9002313
	case c.redeemed:
		return authCode{}, 54005
	case now.Sub(c.issued) > authCodeLifetime:
		return authCode{}, 70008
	case !pkceMatches(c.method, c.challenge, r.verifier):
		return authCode{}, 501481
	}
	c.redeemed = true
	return *c, 0
}

// pkceMatches checks a code_verifier against the request's challenge (RFC 7636).
func pkceMatches(method, challenge, verifier string) bool {
	switch method {
	case "":
		return true // the request had no challenge
	case "S256":
		sum := sha256.Sum256([]byte(verifier))
		return verifier != "" && base64.RawURLEncoding.EncodeToString(sum[:]) == challenge
	}
	return verifier != "" && verifier == challenge
}

// authCodeGrant redeems an authorization code for tokens.
func (s *Server) authCodeGrant(w http.ResponseWriter, r *http.Request) {
	c, code := s.auths.redeem(redemption{code: r.Form.Get("code"), clientID: r.Form.Get("client_id"),
		redirectURI: r.Form.Get("redirect_uri"), verifier: r.Form.Get("code_verifier")}, s.Now())
	if code != 0 {
		s.entraError(w, r, http.StatusBadRequest, "invalid_grant", code, "")
		return
	}
	s.dir.mu.Lock()
	u, ok := s.dir.users[c.userID]
	var user User
	if ok {
		user = cloneUser(u.User)
	}
	s.dir.mu.Unlock()
	if !ok {
		s.entraError(w, r, http.StatusBadRequest, "invalid_grant", 9002313, "")
		return
	}
	scopes := strings.Fields(r.Form.Get("scope"))
	if len(scopes) == 0 {
		scopes = c.scopes
	}
	s.grantTokens(w, r, grant{user: user, clientID: c.clientID, scopes: scopes, nonce: c.nonce})
}
