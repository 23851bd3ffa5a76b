package simcloud

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"time"
)

// baseURL is the scheme and host the client used to reach us.
func baseURL(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) openIDConfiguration(w http.ResponseWriter, r *http.Request) {
	base, tenant := baseURL(r), r.PathValue("tenant")
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        base + "/" + tenant + "/oauth2/v2.0/token",
		"authorization_endpoint":                base + "/" + tenant + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/" + tenant + "/oauth2/v2.0/devicecode",
		"issuer":                                base + "/" + s.scenario.Tenant.ID + "/v2.0",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"tenant_region_scope":                   "EU",
		"cloud_instance_name":                   "microsoftonline.com",
	})
}

// entraError writes Entra's token-endpoint error body.
func (s *Server) entraError(w http.ResponseWriter, status int, errName string, code int, suberror string) {
	trace, corr := traceIDs()
	body := map[string]any{
		"error":             errName,
		"error_description": aadstsDescription(code, aadstsText(code), s.Now()),
		"error_codes":       []int{code},
		"timestamp":         s.Now().Format("2006-01-02 15:04:05Z"),
		"trace_id":          trace,
		"correlation_id":    corr,
		"error_uri":         fmt.Sprintf("%s/error?code=%d", "https://login.microsoftonline.com", code),
	}
	if suberror != "" {
		body["suberror"] = suberror
	}
	writeJSON(w, status, body)
}

func aadstsText(code int) string {
	if t, ok := failureReasons[code]; ok {
		return t
	}
	switch code {
	case 70016:
		return "OAuth 2.0 device flow error. Authorization is pending. Continue polling."
	case 70019:
		return "Verification code expired."
	case 700003:
		return "Device code is not recognised."
	case 900144:
		return "The request body must contain the following parameter: 'grant_type'."
	}
	return "The request failed."
}

func (s *Server) deviceCode(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.entraError(w, http.StatusBadRequest, "invalid_request", 900144, "")
		return
	}
	if f, ok := s.faults.take("devicecode", FaultUnavailable); ok {
		_ = f
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	code := &deviceCodeState{
		userCode: userCode(),
		clientID: r.Form.Get("client_id"),
		scopes:   strings.Fields(r.Form.Get("scope")),
		created:  s.Now(),
		expires:  s.Now().Add(15 * time.Minute),
	}
	id := s.codes.add(code)
	uri := baseURL(r) + "/devicelogin"
	writeJSON(w, http.StatusOK, map[string]any{
		"user_code":        code.userCode,
		"device_code":      id,
		"verification_uri": uri,
		"expires_in":       900,
		"interval":         5,
		"message":          fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", uri, code.userCode),
	})
}

// deviceLogin is the simulated "enter code" page; in the demo the code
// approves itself, so the page only says so.
func (s *Server) deviceLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html><title>Simulated sign-in</title><h1>apppass simulated Microsoft cloud</h1>"+
		"<p>Tenant %s. In the demo the code approves itself, or press the approve key in apppass.</p>",
		html.EscapeString(s.scenario.Tenant.DisplayName))
}

func (s *Server) userRealm(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"ver":                 "1.0",
		"account_type":        "Managed",
		"domain_name":         s.scenario.Tenant.Domain,
		"cloud_instance_name": "microsoftonline.com",
		"cloud_audience_urn":  "urn:federation:MicrosoftOnline",
	})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.entraError(w, http.StatusBadRequest, "invalid_request", 900144, "")
		return
	}
	if _, ok := s.faults.take("token", FaultUnavailable); ok {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	switch r.Form.Get("grant_type") {
	case "device_code", "urn:ietf:params:oauth:grant-type:device_code":
		s.deviceCodeGrant(w, r)
	case "refresh_token":
		s.refreshGrant(w, r)
	case "password":
		s.passwordGrantHTTP(w, r)
	default:
		s.entraError(w, http.StatusBadRequest, "unsupported_grant_type", 900144, "")
	}
}

func (s *Server) deviceCodeGrant(w http.ResponseWriter, r *http.Request) {
	id := r.Form.Get("device_code")
	code, ok := s.codes.get(id)
	if !ok {
		s.entraError(w, http.StatusBadRequest, "invalid_grant", 700003, "")
		return
	}
	if _, ok := s.faults.take("token", FaultDeviceCodeDeclined); ok {
		s.codes.remove(id)
		s.entraError(w, http.StatusBadRequest, "authorization_declined", 70000, "")
		return
	}
	if _, ok := s.faults.take("token", FaultDeviceCodeExpired); ok || s.Now().After(code.expires) {
		s.codes.remove(id)
		s.entraError(w, http.StatusBadRequest, "expired_token", 70019, "")
		return
	}
	if !s.approvedNow(code) {
		s.entraError(w, http.StatusBadRequest, "authorization_pending", 70016, "")
		return
	}
	s.codes.remove(id)
	if _, ok := s.faults.take("token", FaultCABlocksDeviceCode); ok {
		s.entraError(w, http.StatusBadRequest, "invalid_grant", 53003, "")
		return
	}
	s.dir.mu.Lock()
	admin := s.dir.byUPN(s.scenario.Admin)
	s.dir.logSignIn(admin, s.Now(), "Mobile Apps and Desktop clients", "Microsoft Graph Command Line Tools", 0)
	s.dir.mu.Unlock()
	s.grantTokens(w, r, admin.User, code.clientID, code.scopes, false)
}

func (s *Server) refreshGrant(w http.ResponseWriter, r *http.Request) {
	old, ok := s.tokens.redeem(r.Form.Get("refresh_token"))
	if !ok {
		s.entraError(w, http.StatusBadRequest, "invalid_grant", 50173, "")
		return
	}
	s.dir.mu.Lock()
	u := s.dir.users[old.userID]
	revoked := u == nil || !old.issued.After(u.revokedBefore)
	s.dir.mu.Unlock()
	if revoked {
		s.entraError(w, http.StatusBadRequest, "invalid_grant", 50173, "")
		return
	}
	scopes := strings.Fields(r.Form.Get("scope"))
	if len(scopes) == 0 {
		scopes = old.scopes
	}
	s.grantTokens(w, r, u.User, old.clientID, scopes, r.Form.Get("claims") != "")
}

func (s *Server) passwordGrantHTTP(w http.ResponseWriter, r *http.Request) {
	s.dir.mu.Lock()
	u := s.dir.byUPN(r.Form.Get("username"))
	code := s.dir.passwordGrant(u, r.Form.Get("password"))
	s.dir.mu.Unlock()
	switch code {
	case 0:
		s.grantTokens(w, r, u.User, r.Form.Get("client_id"), strings.Fields(r.Form.Get("scope")), false)
	case 50076, 50079:
		s.entraError(w, http.StatusBadRequest, "invalid_grant", code, "basic_action")
	case 50055:
		s.entraError(w, http.StatusUnauthorized, "user_password_expired", code, "")
	default:
		s.entraError(w, http.StatusBadRequest, "invalid_grant", code, "")
	}
}

// grantTokens answers a successful grant, refusing scopes the tenant has not consented to.
func (s *Server) grantTokens(w http.ResponseWriter, r *http.Request, u User, clientID string, scopes []string, claims bool) {
	consented := s.scenario.Tenant.ConsentedScopes
	if len(consented) == 0 {
		consented = allScopes
	}
	for _, sc := range scopes {
		if !slices.ContainsFunc(consented, func(c string) bool { return strings.EqualFold(c, shortScope(sc)) }) {
			s.entraError(w, http.StatusBadRequest, "invalid_grant", 65001, "consent_required")
			return
		}
	}
	now := s.Now()
	sess := &session{userID: u.ID, clientID: clientID, scopes: shortScopes(scopes), issued: now,
		expires: time.Now().Add(s.opts.TokenLifetime), claims: claims}
	access, refresh := s.tokens.issue(sess)
	tid := s.scenario.Tenant.ID
	idToken := unsignedJWT(map[string]any{
		"aud": clientID, "iss": baseURL(r) + "/" + tid + "/v2.0",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"name": u.DisplayName, "oid": u.ID, "preferred_username": u.UserPrincipalName,
		"sub": stableID("sub:" + u.ID), "tid": tid, "ver": "2.0",
	})
	seconds := int(s.opts.TokenLifetime.Seconds())
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"scope":          strings.Join(scopes, " "),
		"expires_in":     seconds,
		"ext_expires_in": seconds,
		"access_token":   access,
		"refresh_token":  refresh,
		"id_token":       idToken,
		"client_info":    clientInfo(u.ID, tid),
	})
}

// shortScope turns https://graph.microsoft.com/User.Read into User.Read.
func shortScope(s string) string {
	if i := strings.LastIndex(s, "/"); i >= 0 {
		return s[i+1:]
	}
	return s
}

func shortScopes(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = shortScope(s)
	}
	return out
}
