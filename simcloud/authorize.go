package simcloud

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The browser sign-in: authorization code with PKCE, as Microsoft's own
// tools use it. /authorize checks the request and shows a sign-in page;
// the page posts the person's name and password (Entra's field names,
// login and passwd) to /login, which sends the code back to the app's
// loopback redirect URI in the response mode it asked for.

// authRequest is an /authorize request waiting for the person to sign in.
type authRequest struct {
	tenant       string
	clientID     string
	redirectURI  string
	scopes       []string
	state        string
	nonce        string
	challenge    string
	method       string // S256 or plain
	responseMode string // query, fragment or form_post
	clientInfo   bool   // client_info=1: send it back with the code
}

// authCode is an issued authorization code.
type authCode struct {
	authRequest
	userID   string
	issued   time.Time // simulated time
	redeemed bool
}

// authCodeLifetime is how long a code can be redeemed (Entra: minutes).
const authCodeLifetime = 10 * time.Minute

func (s *Server) authorizeRequest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	tenant := r.PathValue("tenant")
	if q.Get("client_id") == "" {
		page(w, http.StatusBadRequest, "Sign in", "<p>AADSTS900144: The request body must contain the following parameter: 'client_id'.</p>")
		return
	}
	redirect := q.Get("redirect_uri")
	if !loopbackURI(redirect) {
		page(w, http.StatusBadRequest, "Sign in", fmt.Sprintf("<p>AADSTS50011: The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'.</p>",
			html.EscapeString(redirect), html.EscapeString(q.Get("client_id"))))
		return
	}
	req := authRequest{
		tenant: tenant, clientID: q.Get("client_id"), redirectURI: redirect, scopes: strings.Fields(q.Get("scope")),
		state: q.Get("state"), nonce: q.Get("nonce"), challenge: q.Get("code_challenge"),
		method: q.Get("code_challenge_method"), responseMode: q.Get("response_mode"), clientInfo: q.Get("client_info") == "1",
	}
	if req.responseMode == "" {
		req.responseMode = "query"
	}
	if req.challenge != "" && req.method == "" {
		req.method = "plain" // RFC 7636's default
	}
	// Past this point errors go back to the app, as Entra sends them.
	var errName, text string
	var code int
	switch {
	case req.responseMode != "query" && req.responseMode != "fragment" && req.responseMode != "form_post":
		req.responseMode, errName, code, text = "query", "invalid_request", 70007, "The application returned an unsupported value of 'response_mode'."
	case q.Get("response_type") != "code":
		errName, code, text = "unsupported_response_type", 700054, "The response_type '"+q.Get("response_type")+"' is not enabled for the application."
	case len(req.scopes) == 0:
		errName, code, text = "invalid_request", 900144, "The request body must contain the following parameter: 'scope'."
	case req.method != "" && req.method != "S256" && req.method != "plain":
		errName, code, text = "invalid_request", 501491, "Invalid code_challenge_method."
	}
	if errName != "" {
		s.sendBack(w, req, url.Values{"error": {errName}, "error_description": {fmt.Sprintf("AADSTS%d: %s", code, text)},
			"error_uri": {fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", code)}})
		return
	}
	s.signInPage(w, http.StatusOK, tenant, s.auths.begin(req), q.Get("login_hint"), "")
}

// signInPage is the simulated sign-in form; problem is already escaped.
func (s *Server) signInPage(w http.ResponseWriter, status int, tenant, ctx, login, problem string) {
	if problem != "" {
		problem = "<p>" + problem + "</p>"
	}
	page(w, status, "Sign in", fmt.Sprintf("<p>%s</p>%s<form method=\"post\" action=\"/%s/login\">"+
		"<input type=\"hidden\" name=\"ctx\" value=\"%s\">"+
		"<label>Email or phone <input name=\"login\" value=\"%s\" autocomplete=\"username\"></label>"+
		"<label>Password <input name=\"passwd\" type=\"password\" autocomplete=\"current-password\"></label>"+
		"<button type=\"submit\">Sign in</button></form>",
		html.EscapeString(s.scenario.Tenant.DisplayName), problem, html.EscapeString(url.PathEscape(tenant)), html.EscapeString(ctx), html.EscapeString(login)))
}

// login checks the name and password posted from the sign-in page. The
// simulated person completes any MFA prompt, so only the first factor and
// Conditional Access can refuse; a refusal shows the page again.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		page(w, http.StatusBadRequest, "Sign in", "<p>The form could not be read.</p>")
		return
	}
	ctx, login := r.PostForm.Get("ctx"), r.PostForm.Get("login")
	req, ok := s.auths.pending(ctx)
	if !ok {
		page(w, http.StatusBadRequest, "Sign in", "<p>This sign-in request is no longer valid. Go back to the app and sign in again.</p>")
		return
	}
	s.dir.mu.Lock()
	u := s.dir.byUPN(login)
	code := s.dir.interactiveSignIn(u, r.PostForm.Get("passwd"))
	var userID string
	if u != nil {
		userID = u.ID
	}
	s.dir.mu.Unlock()
	if code != 0 {
		s.signInPage(w, http.StatusBadRequest, req.tenant, ctx, login, fmt.Sprintf("AADSTS%d: %s", code, html.EscapeString(aadstsText(code))))
		return
	}
	back := url.Values{"code": {s.auths.issue(ctx, userID, s.Now())}, "session_state": {stableID(newOpaqueToken("session"))}}
	if req.clientInfo {
		back.Set("client_info", clientInfo(userID, s.scenario.Tenant.ID))
	}
	s.sendBack(w, req, back)
}

// sendBack returns an answer (a code or an error) to the app's redirect
// URI, with the request's state, in the response mode it asked for.
func (s *Server) sendBack(w http.ResponseWriter, req authRequest, v url.Values) {
	if req.state != "" {
		v.Set("state", req.state)
	}
	switch req.responseMode {
	case "form_post":
		var inputs strings.Builder
		for name, values := range v {
			fmt.Fprintf(&inputs, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", html.EscapeString(name), html.EscapeString(values[0]))
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, "<!doctype html><html><head><title>Working...</title></head><body onload=\"document.forms[0].submit()\">"+
			"<form method=\"post\" action=\"%s\">%s<noscript><p>Script is disabled. Select Submit to continue.</p>"+
			"<input type=\"submit\" value=\"Submit\"></noscript></form></body></html>", html.EscapeString(req.redirectURI), inputs.String())
	case "fragment":
		w.Header().Set("Location", req.redirectURI+"#"+v.Encode())
		w.WriteHeader(http.StatusFound)
	default:
		w.Header().Set("Location", addQuery(req.redirectURI, v))
		w.WriteHeader(http.StatusFound)
	}
}

// addQuery appends v to a URL's query.
func addQuery(raw string, v url.Values) string {
	u, _ := url.Parse(raw) // a loopback URI, parsed before
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}
