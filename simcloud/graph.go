package simcloud

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// graphRequest is one Graph call, from HTTP or from inside a $batch.
type graphRequest struct {
	method  string
	version string   // v1.0 or beta
	segs    []string // path after the version, users('x') split into users, x
	query   url.Values
	body    []byte
	caller  *session
	base    string // scheme://host, for @odata.nextLink
	params  map[string]string
	// unknownEnums: the request sent Prefer: include-unknown-enum-members.
	unknownEnums bool
}

// graphResponse is one answer; body is marshalled as JSON unless raw is set.
type graphResponse struct {
	status int
	header http.Header
	body   any
	raw    []byte
}

// route is one Graph endpoint: its path, what the caller needs and its handler.
type route struct {
	name     string
	method   string
	versions []string
	pattern  []string // "{id}" matches any segment
	scopes   []string // any one of them
	roles    []string // nil: no directory role needed
	selfOK   bool     // no role needed when {id} is the caller
	// selfScopes also suffice when {id} is the caller (User.Read reads
	// the signed-in user's own profile, as Graph allows).
	selfScopes []string
	needsP1    bool
	handle     func(*Server, *graphRequest) graphResponse
}

var both = []string{"v1.0", "beta"}

// routeTable is every Graph endpoint, built once.
var routeTable = []route{
	{name: "me", method: "GET", versions: both, pattern: []string{"me"}, scopes: []string{"User.Read"}, handle: (*Server).getMe},
	{name: "organization", method: "GET", versions: both, pattern: []string{"organization"}, scopes: []string{"User.Read"}, handle: (*Server).getOrganization},
	{name: "myRoles", method: "GET", versions: both, pattern: []string{"me", "transitiveMemberOf", "microsoft.graph.directoryRole"}, scopes: []string{"User.Read"}, handle: (*Server).getMyRoles},
	{name: "user", method: "GET", versions: both, pattern: []string{"users", "{id}"}, scopes: []string{"User.Read.All", "Directory.Read.All"}, selfScopes: []string{"User.Read"}, handle: (*Server).getUser},
	{name: "memberOf", method: "GET", versions: both, pattern: []string{"users", "{id}", "transitiveMemberOf"}, scopes: []string{"Directory.Read.All"}, handle: (*Server).getMemberOf},
	{name: "mfaRequirements", method: "GET", versions: []string{"beta"}, pattern: []string{"users", "{id}", "authentication", "requirements"}, scopes: []string{"Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod"}, roles: rolesReadMFA, handle: (*Server).getRequirements},
	{name: "mfaRequirements", method: "PATCH", versions: []string{"beta"}, pattern: []string{"users", "{id}", "authentication", "requirements"}, scopes: []string{"Policy.ReadWrite.AuthenticationMethod"}, roles: rolesWriteMFA, handle: (*Server).patchRequirements},
	{name: "authMethods", method: "GET", versions: both, pattern: []string{"users", "{id}", "authentication", "methods"}, scopes: []string{"UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.Read"}, roles: rolesReadMethods, selfOK: true, handle: (*Server).getMethods},
	{name: "revokeSessions", method: "POST", versions: both, pattern: []string{"users", "{id}", "revokeSignInSessions"}, scopes: []string{"User.RevokeSessions.All"}, roles: rolesRevoke, selfOK: true, handle: (*Server).revokeSessions},
	{name: "securityDefaults", method: "GET", versions: both, pattern: []string{"policies", "identitySecurityDefaultsEnforcementPolicy"}, scopes: []string{"Policy.Read.All"}, roles: rolesReadPolicies, handle: (*Server).getSecurityDefaults},
	{name: "caPolicies", method: "GET", versions: both, pattern: []string{"identity", "conditionalAccess", "policies"}, scopes: []string{"Policy.Read.All"}, roles: rolesReadPolicies, needsP1: true, handle: (*Server).getCAPolicies},
	{name: "namedLocations", method: "GET", versions: both, pattern: []string{"identity", "conditionalAccess", "namedLocations"}, scopes: []string{"Policy.Read.All"}, roles: rolesReadPolicies, needsP1: true, handle: (*Server).getNamedLocations},
	{name: "signIns", method: "GET", versions: both, pattern: []string{"auditLogs", "signIns"}, scopes: []string{"AuditLog.Read.All"}, roles: rolesReadLogs, needsP1: true, handle: (*Server).getSignIns},
	{name: "emailAppUsage", method: "GET", versions: both, pattern: []string{"reports", "{id}"}, scopes: []string{"Reports.Read.All"}, roles: rolesReports, handle: (*Server).getEmailAppUsage},
	{name: "sharepointSettings", method: "GET", versions: both, pattern: []string{"admin", "sharepoint", "settings"}, scopes: []string{"SharePointTenantSettings.Read.All"}, roles: rolesSharePoint, handle: (*Server).getSharePointSettings},
}

// Routes lists the endpoint names faults may target.
func Routes() []string {
	names := []string{"batch", "token", "devicecode", "authorize", exchangeRoute}
	for _, r := range routeTable {
		if !slices.Contains(names, r.name) {
			names = append(names, r.name)
		}
	}
	return names
}

func isRoute(name string) bool { return slices.Contains(Routes(), name) }

// splitGraphPath turns /v1.0/users('a@b')/x into v1.0, [users a@b x].
func splitGraphPath(p string) (string, []string) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	var segs []string
	for _, s := range parts[1:] {
		if name, key, ok := strings.Cut(s, "('"); ok && strings.HasSuffix(key, "')") {
			segs = append(segs, name, strings.TrimSuffix(key, "')"))
			continue
		}
		segs = append(segs, s)
	}
	return parts[0], segs
}

func (rt route) match(method, version string, segs []string) (map[string]string, bool) {
	if rt.method != method || !slices.Contains(rt.versions, version) || len(segs) != len(rt.pattern) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range rt.pattern {
		if p == "{id}" {
			params["id"] = segs[i]
		} else if !strings.EqualFold(p, segs[i]) {
			return nil, false
		}
	}
	return params, true
}

// graph serves every Graph request arriving over HTTP.
func (s *Server) graph(w http.ResponseWriter, r *http.Request) {
	s.graphRequests.Add(1)
	body, err := readBody(r)
	if err != nil {
		s.writeGraph(w, s.graphError(http.StatusBadRequest, "Request_BadRequest", "The request body could not be read: "+err.Error()))
		return
	}
	version, segs := splitGraphPath(r.URL.EscapedPath())
	for i := range segs {
		segs[i], _ = url.PathUnescape(segs[i])
	}
	req := &graphRequest{method: r.Method, version: version, segs: segs, query: r.URL.Query(), body: body, base: baseURL(r),
		unknownEnums: prefersUnknownEnums(r.Header.Values("Prefer"))}
	caller, denied := s.authenticate(r.Header.Get("Authorization"))
	if denied != nil {
		s.writeGraph(w, *denied)
		return
	}
	req.caller = caller
	route := "batch"
	if !(len(segs) == 1 && segs[0] == "$batch") {
		route = s.routeName(req)
	}
	if s.connectionFault(w, r, route) {
		return
	}
	if route == "batch" {
		s.writeGraph(w, s.batch(req))
		return
	}
	s.writeGraph(w, s.serve(req))
}

// readBody reads a request body, accepting the gzip encoding kiota uses.
func readBody(r *http.Request) ([]byte, error) {
	rd := io.LimitReader(r.Body, 1<<20)
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		rd = zr
	}
	return io.ReadAll(rd)
}

func (s *Server) authenticate(authz string) (*session, *graphResponse) {
	token, ok := strings.CutPrefix(authz, "Bearer ")
	if !ok {
		resp := s.graphError(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return nil, &resp
	}
	sess, ok := s.tokens.bearer(token)
	if !ok {
		resp := s.graphError(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
		return nil, &resp
	}
	if sess.audience != audienceGraph {
		resp := s.graphError(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
		return nil, &resp
	}
	return sess, nil
}

func (s *Server) routeName(req *graphRequest) string {
	for _, rt := range routeTable {
		if _, ok := rt.match(req.method, req.version, req.segs); ok {
			return rt.name
		}
	}
	return ""
}

// connectionFault applies the faults that only make sense on a real
// connection: latency, hanging and dropping. It reports whether it answered.
func (s *Server) connectionFault(w http.ResponseWriter, r *http.Request, route string) bool {
	if f, ok := s.faults.take(route, FaultLatency); ok {
		select {
		case <-time.After(f.delay()):
		case <-r.Context().Done():
			panic(http.ErrAbortHandler) // the client left: send nothing, not an empty 200
		}
	}
	if _, ok := s.faults.take(route, FaultHang); ok {
		if notify := s.hangs.Load(); notify != nil {
			(*notify)(r.Header.Get("client-request-id"))
		}
		<-r.Context().Done()
		panic(http.ErrAbortHandler) // a hang never answers, not even with an empty 200
	}
	if _, ok := s.faults.take(route, FaultDrop); ok {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // no hijacking (HTTP/2): abort the stream instead
	}
	return false
}

// serve runs one Graph request through faults, permission checks and its handler.
func (s *Server) serve(req *graphRequest) graphResponse {
	for _, rt := range routeTable {
		params, ok := rt.match(req.method, req.version, req.segs)
		if !ok {
			continue
		}
		req.params = params
		if resp, throttled := s.throttle(req, rt.name); throttled {
			return resp
		}
		if resp, faulted := s.responseFault(req, rt.name); faulted {
			return resp
		}
		if resp, denied := s.authorize(req, rt); denied {
			return resp
		}
		return rt.handle(s, req)
	}
	return s.graphError(http.StatusBadRequest, "BadRequest", fmt.Sprintf("Resource not found for the segment '%s'.", strings.Join(req.segs, "/")))
}

func (s *Server) responseFault(req *graphRequest, route string) (graphResponse, bool) {
	f, ok := s.faults.take(route, FaultThrottle, FaultUnavailable, FaultMalformed, FaultEmptyError,
		FaultMissingRole, FaultMissingLicence, FaultClaimsChallenge)
	if !ok {
		return graphResponse{}, false
	}
	retryAfter := http.Header{"Retry-After": {fmt.Sprint(s.opts.RetryAfter)}}
	switch f.Kind {
	case FaultThrottle:
		resp := s.graphError(http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
		resp.header = retryAfter
		return resp, true
	case FaultUnavailable:
		resp := s.graphError(http.StatusServiceUnavailable, "serviceNotAvailable", "The service is temporarily unavailable.")
		resp.header = retryAfter
		return resp, true
	case FaultMalformed:
		return graphResponse{status: http.StatusOK, raw: []byte(`{"value": [ {"id": "truncated`)}, true
	case FaultEmptyError:
		return graphResponse{status: http.StatusInternalServerError, raw: []byte{}}, true
	case FaultMissingRole:
		return s.graphError(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."), true
	case FaultMissingLicence:
		return s.licenceError(), true
	case FaultClaimsChallenge:
		if req.caller.claims {
			return graphResponse{}, false
		}
		s.faults.add(f) // the challenge stands until a token answers it
		resp := s.graphError(http.StatusUnauthorized, "InvalidAuthenticationToken", "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp")
		resp.header = http.Header{"WWW-Authenticate": {`Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTcwMDAwMDAwMCJ9fX0="`}}
		return resp, true
	}
	return graphResponse{}, false
}

// authorize enforces scope, directory role and licence as Graph does.
func (s *Server) authorize(req *graphRequest, rt route) (graphResponse, bool) {
	denied := s.graphError(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	s.dir.mu.Lock()
	caller := s.dir.users[req.caller.userID]
	target := s.dir.lookup(req.params["id"])
	s.dir.mu.Unlock()
	self := target != nil && caller != nil && target.ID == caller.ID
	if !req.caller.hasScope(rt.scopes...) && !(self && req.caller.hasScope(rt.selfScopes...)) {
		return denied, true
	}
	if rt.roles != nil && !(rt.selfOK && self) && (caller == nil || !caller.hasRole(rt.roles)) {
		return denied, true
	}
	if rt.needsP1 && !s.scenario.Tenant.EntraP1 {
		return s.licenceError(), true
	}
	return graphResponse{}, false
}

func (s *Server) licenceError() graphResponse {
	return s.graphError(http.StatusForbidden, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
		"Neither tenant is B2C or tenant doesn't have premium license")
}

// graphError builds Graph's error body, with innerError request ids.
func (s *Server) graphError(status int, code, message string) graphResponse {
	requestID := stableID(newOpaqueToken("r"))
	return graphResponse{status: status, body: map[string]any{
		"error": map[string]any{
			"code":    code,
			"message": message,
			"innerError": map[string]any{
				"date":              s.Now().Format("2006-01-02T15:04:05"),
				"request-id":        requestID,
				"client-request-id": requestID,
			},
		},
	}}
}

func (s *Server) writeGraph(w http.ResponseWriter, resp graphResponse) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	if resp.raw == nil && resp.body == nil {
		w.WriteHeader(resp.status)
		return
	}
	payload := resp.raw
	if payload == nil {
		payload, _ = json.Marshal(resp.body)
	}
	if len(payload) > 0 {
		w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	}
	w.Header().Set("request-id", stableID(newOpaqueToken("r")))
	w.WriteHeader(resp.status)
	io.Copy(w, bytes.NewReader(payload))
}
