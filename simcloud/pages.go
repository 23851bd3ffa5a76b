package simcloud

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
)

// The simulated browser pages: where a person enters a device code, signs
// out, and (authorize.go) signs in. A client driving them (a test, a
// script) reads the HTTP status: 200 when the step worked, 400 when not.

// page writes a minimal HTML page; body is already escaped.
func page(w http.ResponseWriter, status int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body>"+
		"<h1>%s</h1>%s<p><small>apppass simulated Microsoft cloud</small></p></body></html>",
		html.EscapeString(title), html.EscapeString(title), body)
}

// deviceLoginForm is the "Enter code" page at verification_uri.
func (s *Server) deviceLoginForm(w http.ResponseWriter, _ *http.Request) {
	page(w, http.StatusOK, "Enter code", fmt.Sprintf(
		"<p>Enter the code displayed on your app or device to sign in to %s as %s.</p>"+
			"<form method=\"post\" action=\"/devicelogin\"><input name=\"otc\" autocomplete=\"off\" autofocus>"+
			"<button type=\"submit\">Next</button></form>",
		html.EscapeString(s.scenario.Tenant.DisplayName), html.EscapeString(s.Person())))
}

// deviceLogin takes the code entered on the page (form field otc, as on
// Entra's page) and signs the person at the browser in for that device code.
func (s *Server) deviceLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		page(w, http.StatusBadRequest, "Enter code", "<p>The form could not be read.</p>")
		return
	}
	person := s.Person()
	switch s.codes.approveUserCode(r.PostForm.Get("otc"), person, s.Now()) {
	case codeApproved:
		page(w, http.StatusOK, "You're signed in", fmt.Sprintf(
			"<p>%s is signed in on your device. You can close this window.</p>", html.EscapeString(person)))
	case codeExpired:
		page(w, http.StatusBadRequest, "Enter code", "<p>AADSTS70019: That code has expired. Go back to your device for a new one.</p>")
	default:
		page(w, http.StatusBadRequest, "Enter code", "<p>AADSTS70018: That code didn't work. Check the code and try again.</p>")
	}
}

// logout is the end_session_endpoint. The simulator keeps no browser
// session, so signing out only says so, or goes back to the app's
// post_logout_redirect_uri when that is a loopback address.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err == nil {
		if back := r.Form.Get("post_logout_redirect_uri"); loopbackURI(back) {
			http.Redirect(w, r, back, http.StatusFound)
			return
		}
	}
	page(w, http.StatusOK, "You signed out of your account", "<p>It's a good idea to close all browser windows.</p>")
}

// loopbackURI reports whether raw is an http URL on this machine, the only
// redirect URIs a public client such as Graph Command Line Tools has.
func loopbackURI(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" {
		return false
	}
	switch u.Hostname() {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}

// normalizeUserCode forgives what people type: case, spaces and dashes.
func normalizeUserCode(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
}
