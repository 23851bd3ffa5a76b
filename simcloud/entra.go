package simcloud

import (
	"encoding/json"
	"fmt"
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

// entraError writes Entra's token-endpoint error body with the code's text.
func (s *Server) entraError(w http.ResponseWriter, r *http.Request, status int, errName string, code int, suberror string) {
	s.entraErrorText(w, r, status, errName, code, suberror, aadstsText(code))
}

// entraErrorText writes Entra's error body: the description starts with
// "AADSTSnnnnn:" and ends with the same trace and correlation ids and
// timestamp as the body's fields. Like Entra, it echoes the client's
// client-request-id header (MSAL sends one) as the correlation id.
func (s *Server) entraErrorText(w http.ResponseWriter, r *http.Request, status int, errName string, code int, suberror, text string) {
	trace, corr := traceIDs()
	if id := r.Header.Get("client-request-id"); isGUID(id) {
		corr = id
	}
	stamp := s.Now().Format("2006-01-02 15:04:05Z")
	body := map[string]any{
		"error":             errName,
		"error_description": fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", code, text, trace, corr, stamp),
		"error_codes":       []int{code},
		"timestamp":         stamp,
		"trace_id":          trace,
		"correlation_id":    corr,
		"error_uri":         fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", code),
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
	case 70018:
		return "Invalid verification code due to an invalid or already redeemed device code."
	case 70000:
		return "The user has declined the authorization request."
	case 28000:
		return "Provided value for the input parameter scope is not valid because it contains more than one resource."
	case 65004:
		return "User declined to consent to access the app."
	case 9002313:
		return "Invalid request. Request is malformed or invalid."
	case 54005:
		return "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."
	case 70008:
		return "The provided authorization code or refresh token has expired due to inactivity."
	case 501481:
		return "The Code_Verifier does not match the code_challenge supplied in the authorization request."
	case 50049:
		return "Unknown or invalid instance."
	case 50000:
		return "There was an error issuing a token."
	case 900144:
		return "The request body must contain the following parameter: 'grant_type'."
	case 65002:
		return "Consent between first party application '" + graphCommandLineTools + "' and first party resource '" + exchangeOnlineAppID + "' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API."
	}
	return "The request failed."
}

func (s *Server) deviceCode(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.entraError(w, r, http.StatusBadRequest, "invalid_request", 900144, "")
		return
	}
	if _, ok := s.faults.take("devicecode", FaultUnavailable); ok {
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
		s.entraError(w, r, http.StatusBadRequest, "invalid_request", 900144, "")
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
	case "authorization_code":
		s.authCodeGrant(w, r)
	default:
		s.entraError(w, r, http.StatusBadRequest, "unsupported_grant_type", 900144, "")
	}
}

func (s *Server) deviceCodeGrant(w http.ResponseWriter, r *http.Request) {
	id := r.Form.Get("device_code")
	code, ok := s.codes.get(id)
	if !ok {
		s.entraError(w, r, http.StatusBadRequest, "bad_verification_code", 70018, "")
		return
	}
	if _, ok := s.faults.take("token", FaultDeviceCodeDeclined); ok {
		s.codes.remove(id)
		s.entraError(w, r, http.StatusBadRequest, "authorization_declined", 70000, "")
		return
	}
	if _, ok := s.faults.take("token", FaultDeviceCodeExpired); ok || s.Now().After(code.expires) {
		s.codes.remove(id)
		s.entraError(w, r, http.StatusBadRequest, "expired_token", 70019, "")
		return
	}
	if !s.approvedNow(code) {
		s.entraError(w, r, http.StatusBadRequest, "authorization_pending", 70016, "")
		return
	}
	s.codes.remove(id)
	if _, ok := s.faults.take("token", FaultCABlocksDeviceCode); ok {
		s.entraError(w, r, http.StatusBadRequest, "invalid_grant", 53003, "")
		return
	}
	s.dir.mu.Lock()
	person := s.dir.byUPN(code.approvedBy)
	var user User
	if person != nil {
		s.dir.logSignIn(person, s.Now(), "Mobile Apps and Desktop clients", "Microsoft Graph Command Line Tools", 0)
		user = cloneUser(person.User)
	}
	s.dir.mu.Unlock()
	if person == nil {
		s.entraError(w, r, http.StatusBadRequest, "invalid_grant", 9002313, "")
		return
	}
	s.grantTokens(w, r, grant{user: user, clientID: code.clientID, scopes: code.scopes})
}

func (s *Server) refreshGrant(w http.ResponseWriter, r *http.Request) {
	old, ok := s.tokens.redeem(r.Form.Get("refresh_token"))
	if !ok {
		s.entraError(w, r, http.StatusBadRequest, "invalid_grant", 50173, "")
		return
	}
	s.dir.mu.Lock()
	u := s.dir.users[old.userID]
	revoked := u == nil || !old.issued.After(u.revokedBefore)
	s.dir.mu.Unlock()
	if revoked {
		s.entraError(w, r, http.StatusBadRequest, "invalid_grant", 50173, "")
		return
	}
	scopes := strings.Fields(r.Form.Get("scope"))
	if len(scopes) == 0 {
		scopes = old.scopes
	}
	s.grantTokens(w, r, grant{user: u.User, clientID: old.clientID, scopes: scopes, claims: r.Form.Get("claims") != ""})
}

func (s *Server) passwordGrantHTTP(w http.ResponseWriter, r *http.Request) {
	s.dir.mu.Lock()
	u := s.dir.byUPN(r.Form.Get("username"))
	code := s.dir.passwordGrant(u, r.Form.Get("password"))
	s.dir.mu.Unlock()
	switch code {
	case 0:
		s.grantTokens(w, r, grant{user: u.User, clientID: r.Form.Get("client_id"), scopes: strings.Fields(r.Form.Get("scope"))})
	case 50076, 50079:
		s.entraError(w, r, http.StatusBadRequest, "invalid_grant", code, "basic_action")
	case 50055:
		s.entraError(w, r, http.StatusUnauthorized, "user_password_expired", code, "")
	default:
		s.entraError(w, r, http.StatusBadRequest, "invalid_grant", code, "")
	}
}

// grant is what a successful grant signs in: who, for which client and scopes.
type grant struct {
	user     User
	clientID string
	scopes   []string
	claims   bool   // in answer to a claims challenge
	nonce    string // the authorization request's, echoed in the id token
}

// grantTokens answers a successful grant, refusing scopes the tenant has not consented to.
func (s *Server) grantTokens(w http.ResponseWriter, r *http.Request, g grant) {
	consented := s.scenario.Tenant.ConsentedScopes
	if len(consented) == 0 {
		consented = allScopes
	}
	for _, sc := range g.scopes {
		if !slices.ContainsFunc(consented, func(c string) bool { return strings.EqualFold(c, shortScope(sc)) }) {
			s.entraError(w, r, http.StatusBadRequest, "invalid_grant", 65001, "consent_required")
			return
		}
	}
	audience, ok := audienceOf(g.scopes)
	if !ok {
		s.entraError(w, r, http.StatusBadRequest, "invalid_scope", 28000, "")
		return
	}
	if audience == audienceExchange && strings.EqualFold(g.clientID, graphCommandLineTools) && s.scenario.Tenant.SMTPOAuthNeedsOwnApp {
		// A Microsoft first-party client asking for another first-party
		// resource it is not preauthorized for (docs/scenarios.md).
		s.entraError(w, r, http.StatusBadRequest, "invalid_client", 65002, "")
		return
	}
	idToken, err := s.idToken(r, g)
	if err != nil {
		s.entraError(w, r, http.StatusInternalServerError, "server_error", 50000, "")
		return
	}
	u := g.user
	sess := &session{userID: u.ID, clientID: g.clientID, scopes: shortScopes(g.scopes), issued: s.Now(),
		expires: time.Now().Add(s.opts.TokenLifetime), claims: g.claims, audience: audience}
	access, refresh := s.tokens.issue(sess)
	seconds := int(s.opts.TokenLifetime.Seconds())
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"scope":          strings.Join(g.scopes, " "),
		"expires_in":     seconds,
		"ext_expires_in": seconds,
		"access_token":   access,
		"refresh_token":  refresh,
		"id_token":       idToken,
		"client_info":    clientInfo(u.ID, s.scenario.Tenant.ID),
	})
}

// idToken is the signed id token of a grant, with the claims of Entra's v2.0 id tokens.
func (s *Server) idToken(r *http.Request, g grant) (string, error) {
	key, err := tokenKey()
	if err != nil {
		return "", err
	}
	now, u, tid := s.Now(), g.user, s.scenario.Tenant.ID
	claims := map[string]any{
		"aud": g.clientID, "iss": baseURL(r) + "/" + tid + "/v2.0",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"name": u.DisplayName, "oid": u.ID, "preferred_username": u.UserPrincipalName,
		"sub": stableID("sub:" + u.ID), "tid": tid, "ver": "2.0",
	}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	return key.sign(claims)
}

// exchangeAdminDefault is the scope Exchange Online PowerShell asks for:
// the Exchange resource's .default, which carries Exchange.Manage.
const exchangeAdminDefault = "https://outlook.office365.com/.default"

// shortScope turns https://graph.microsoft.com/User.Read into User.Read,
// and Exchange's .default into the permission it carries.
func shortScope(s string) string {
	if strings.EqualFold(s, exchangeAdminDefault) {
		return exchangeScope
	}
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
