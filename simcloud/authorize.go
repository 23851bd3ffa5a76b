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
		answer := refusal(errName, code)
		answer.Set("error_description", fmt.Sprintf("AADSTS%d: %s", code, text))
		s.sendBack(w, req, answer)
		return
	}
	ctx := s.auths.begin(req)
	if s.opts.SignInAtOnce {
		s.signInAtOnce(w, req, ctx)
		return
	}
	s.signInPage(w, http.StatusOK, tenant, ctx, q.Get("login_hint"), "")
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
	userID, code := s.browserSignIn(login, r.PostForm.Get("passwd"), false)
	switch {
	case code == 65004:
		s.sendBack(w, req, refusal("access_denied", code))
	case code != 0:
		s.signInPage(w, http.StatusBadRequest, req.tenant, ctx, login, fmt.Sprintf("AADSTS%d: %s", code, html.EscapeString(aadstsText(code))))
	default:
		s.sendBack(w, req, s.codeAnswer(ctx, req, userID))
	}
}

// signInAtOnce signs the person at the browser in without a form
// (Options.SignInAtOnce) and sends the answer back; a form_post answer is
// posted to the app's loopback address here, as the browser's script
// would, so that a browser command that runs no script completes it.
func (s *Server) signInAtOnce(w http.ResponseWriter, req authRequest, ctx string) {
	person := s.Person()
	userID, code := s.browserSignIn(person, "", true)
	answer := refusal("access_denied", code)
	if code == 0 {
		answer = s.codeAnswer(ctx, req, userID)
	}
	if req.responseMode != "form_post" {
		s.sendBack(w, req, answer)
		return
	}
	if req.state != "" {
		answer.Set("state", req.state)
	}
	if err := postForm(req.redirectURI, answer); err != nil {
		s.sendBack(w, req, answer) // a browser that runs the page's script still can
		return
	}
	text := fmt.Sprintf("<p>%s is signed in. You can close this window and go back to the app.</p>", html.EscapeString(person))
	if code != 0 {
		text = fmt.Sprintf("<p>AADSTS%d: %s</p><p>The app was told; go back to it.</p>", code, html.EscapeString(aadstsText(code)))
	}
	page(w, http.StatusOK, "Sign in", text)
}

// browserSignIn decides a sign-in on the authorize page and returns the
// account's id, or the AADSTS code refusing it (65004 when a
// sign-in-declined fault has the person decline). atOnce signs in with the
// account's own password.
func (s *Server) browserSignIn(login, password string, atOnce bool) (string, int) {
	if _, ok := s.faults.take("authorize", FaultSignInDeclined); ok {
		return "", 65004
	}
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	u := s.dir.byUPN(login)
	if u == nil {
		return "", s.dir.interactiveSignIn(nil, password)
	}
	if atOnce {
		password = u.Password
	}
	return u.ID, s.dir.interactiveSignIn(u, password)
}

// codeAnswer issues the authorization code of a signed-in request.
func (s *Server) codeAnswer(ctx string, req authRequest, userID string) url.Values {
	back := url.Values{"code": {s.auths.issue(ctx, userID, s.Now())}, "session_state": {stableID(newOpaqueToken("session"))}}
	if req.clientInfo {
		back.Set("client_info", clientInfo(userID, s.scenario.Tenant.ID))
	}
	return back
}

// refusal is an error answer for the app, as Entra words it.
func refusal(errName string, code int) url.Values {
	return url.Values{"error": {errName}, "error_description": {fmt.Sprintf("AADSTS%d: %s", code, aadstsText(code))},
		"error_uri": {fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", code)}}
}

// postForm posts a form_post answer to a loopback redirect URI.
func postForm(redirectURI string, v url.Values) error {
	if !loopbackURI(redirectURI) {
		return fmt.Errorf("not a loopback address: %s", redirectURI)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.PostForm(redirectURI, v)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		return fmt.Errorf("the app answered %s", resp.Status)
	}
	return nil
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
