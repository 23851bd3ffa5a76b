package simcloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Exchange Online's admin REST endpoint, as Exchange Online PowerShell v3
// calls it: POST /adminapi/beta/{tenantId}/InvokeCommand with a cmdlet and
// its parameters. Microsoft does not document it as a public API; the shape
// here follows what community tools that call it show (docs/scenarios.md).

// exchangeRoute is the fault target of the Exchange admin endpoint.
const exchangeRoute = "exchange"

// Exchange's role holders, as the admin endpoint's RBAC sees them: Entra's
// Exchange Administrator (and Global Administrator, in hasRole) is in
// Organization Management; View-Only Organization Management is Exchange's
// own read-only role group.
var (
	rolesExchangeRead  = []string{"Exchange Administrator", "View-Only Organization Management"}
	rolesExchangeWrite = []string{"Exchange Administrator"}
)

// exchangeScope is the delegated permission Exchange's admin endpoint wants;
// a token for https://outlook.office365.com/.default carries it.
const exchangeScope = "Exchange.Manage"

// cmdletInput is InvokeCommand's request body.
type cmdletInput struct {
	CmdletInput struct {
		CmdletName string         `json:"CmdletName"`
		Parameters map[string]any `json:"Parameters"`
	} `json:"CmdletInput"`
}

// exchangeCmdlet is one cmdlet simcloud runs: whether it writes, and its handler.
type exchangeCmdlet struct {
	write  bool
	handle func(*Server, map[string]any) graphResponse
}

var exchangeCmdlets = map[string]exchangeCmdlet{
	"get-casmailbox":           {handle: (*Server).getCASMailbox},
	"get-transportconfig":      {handle: (*Server).getTransportConfig},
	"get-authenticationpolicy": {handle: (*Server).getAuthenticationPolicy},
	"set-casmailbox":           {write: true, handle: (*Server).setCASMailbox},
}

// exchangeAdmin serves InvokeCommand: token, faults, role, cmdlet.
// It is not Graph: GraphRequests does not count it.
func (s *Server) exchangeAdmin(w http.ResponseWriter, r *http.Request) {
	s.exchangeRequests.Add(1)
	if !strings.EqualFold(r.PathValue("tenant"), s.scenario.Tenant.ID) {
		s.writeGraph(w, s.exchangeError(http.StatusNotFound, "NotFound", "The tenant "+r.PathValue("tenant")+" was not found."))
		return
	}
	sess, denied := s.exchangeCaller(r.Header.Get("Authorization"))
	if denied != nil {
		s.writeGraph(w, *denied)
		return
	}
	if s.connectionFault(w, r, exchangeRoute) {
		return
	}
	if resp, faulted := s.exchangeFault(); faulted {
		s.writeGraph(w, resp)
		return
	}
	body, err := readBody(r)
	var in cmdletInput
	if err == nil {
		err = json.Unmarshal(body, &in)
	}
	if err != nil || in.CmdletInput.CmdletName == "" {
		s.writeGraph(w, s.exchangeError(http.StatusBadRequest, "BadRequest", "The request body must be {\"CmdletInput\":{\"CmdletName\":...,\"Parameters\":{...}}}."))
		return
	}
	name := in.CmdletInput.CmdletName
	cmdlet, ok := exchangeCmdlets[strings.ToLower(name)]

	if !ok {
		s.writeGraph(w, s.exchangeError(http.StatusBadRequest, "BadRequest",
			fmt.Sprintf("The term '%s' is not recognized as the name of a cmdlet, function, script file, or operable program.", name)))
		return
	}
	roles := rolesExchangeRead
	if cmdlet.write {
		roles = rolesExchangeWrite
	}
	s.dir.mu.Lock()
	caller := s.dir.users[sess.userID]
	allowed := caller != nil && caller.hasRole(roles)
	s.dir.mu.Unlock()
	if !allowed {
		s.writeGraph(w, s.exchangeError(http.StatusForbidden, "Forbidden",
			fmt.Sprintf("The user is not assigned a role that allows '%s'. Needed: %s.", name, strings.Join(roles, " or "))))
		return
	}
	page, badPage := exchangePageOf(r, name)
	if badPage != nil {
		s.writeGraph(w, *badPage)
		return
	}
	resp := cmdlet.handle(s, in.CmdletInput.Parameters)
	s.writeGraph(w, page.cut(resp, baseURL(r)+"/adminapi/beta/"+s.scenario.Tenant.ID+"/InvokeCommand"))
}

// exchangeFault answers with the faults the endpoint takes (faultsOn), in
// its own error shape.
func (s *Server) exchangeFault() (graphResponse, bool) {
	f, ok := s.faults.take(exchangeRoute, FaultThrottle, FaultUnavailable, FaultMalformed, FaultEmptyError, FaultMissingRole)
	if !ok {
		return graphResponse{}, false
	}
	retryAfter := http.Header{"Retry-After": {fmt.Sprint(s.opts.RetryAfter)}}
	switch f.Kind {
	case FaultThrottle:
		resp := s.exchangeError(http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
		resp.header = retryAfter
		return resp, true
	case FaultUnavailable:
		resp := s.exchangeError(http.StatusServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable.")
		resp.header = retryAfter
		return resp, true
	case FaultMalformed:
		return graphResponse{status: http.StatusOK, raw: []byte(`{"value": [ {"SmtpClientAuthenticationDisabled": tru`)}, true
	case FaultEmptyError:
		return graphResponse{status: http.StatusInternalServerError, raw: []byte{}}, true
	default: // FaultMissingRole
		return s.exchangeError(http.StatusForbidden, "Forbidden", "The user is not assigned a role that allows this cmdlet."), true
	}
}

// exchangeCaller checks the bearer token: live, for Exchange Online, with
// the admin endpoint's permission.
func (s *Server) exchangeCaller(authz string) (*session, *graphResponse) {
	token, ok := strings.CutPrefix(authz, "Bearer ")
	if !ok {
		resp := s.exchangeError(http.StatusUnauthorized, "Unauthorized", "The access token is missing.")
		return nil, &resp
	}
	sess, ok := s.tokens.bearer(token)
	switch {
	case !ok:
		resp := s.exchangeError(http.StatusUnauthorized, "Unauthorized", "The access token has expired or is not valid.")
		return nil, &resp
	case sess.audience != audienceExchange:
		resp := s.exchangeError(http.StatusUnauthorized, "Unauthorized", "The access token's audience is not https://outlook.office365.com.")
		return nil, &resp
	case !sess.hasScope(exchangeScope):
		resp := s.exchangeError(http.StatusUnauthorized, "Unauthorized", "The access token does not grant "+exchangeScope+".")
		return nil, &resp
	}
	return sess, nil
}

// exchangeError is the OData error body the admin endpoint answers with.
func (s *Server) exchangeError(status int, code, message string) graphResponse {
	return graphResponse{status: status, body: map[string]any{
		"error": map[string]any{"code": code, "message": message},
	}}
}

// exchangeValue wraps rows in the endpoint's collection answer.
func (s *Server) exchangeValue(rows []map[string]any) graphResponse {
	if rows == nil {
		rows = []map[string]any{}
	}
	return graphResponse{status: http.StatusOK, body: map[string]any{
		"@odata.context": "https://outlook.office365.com/adminapi/beta/" + s.scenario.Tenant.ID + "/$metadata#Collection(Exchange.GenericHashTable)",
		"value":          rows,
	}}
}

// identityParam is a cmdlet's Identity parameter as a string.
func identityParam(params map[string]any) (string, bool) {
	v, ok := params["Identity"]
	if !ok {
		return "", false
	}
	id, isString := v.(string)
	return id, isString
}

// casRow is one mailbox's Get-CASMailbox answer. Caller holds dir.mu.
func casRow(u *userState) map[string]any {
	return map[string]any{
		"Identity":                         u.DisplayName,
		"Name":                             u.DisplayName,
		"PrimarySmtpAddress":               u.UserPrincipalName,
		"ExternalDirectoryObjectId":        u.ID,
		"SmtpClientAuthenticationDisabled": u.mailboxSMTPSwitch(),
	}
}

func (s *Server) getCASMailbox(params map[string]any) graphResponse {
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	id, named := identityParam(params)
	if _, given := params["Identity"]; given && !named {
		return s.exchangeError(http.StatusBadRequest, "BadRequest", "Cannot bind parameter 'Identity'.")
	}
	limit, ok := resultSize(params)
	if !ok {
		return s.exchangeError(http.StatusBadRequest, "BadRequest", "Cannot bind parameter 'ResultSize': give a number or Unlimited.")
	}
	if named {
		u := s.dir.lookup(id)
		if u == nil {
			return s.exchangeError(http.StatusNotFound, "NotFound", fmt.Sprintf("The operation couldn't be performed because object '%s' couldn't be found.", id))
		}
		return s.exchangeValue([]map[string]any{casRow(u)})
	}
	var rows []map[string]any
	for _, su := range s.scenario.Users {
		if len(rows) == limit {
			break // the cmdlet's ResultSize: 1000 unless asked for more
		}
		if u := s.dir.byUPN(su.UserPrincipalName); u != nil {
			rows = append(rows, casRow(u))
		}
	}
	return s.exchangeValue(rows)
}

// resultSize is a listing cmdlet's ResultSize: 1000 when not given, as the
// cmdlet's reference says; "Unlimited" is every row (-1).
func resultSize(params map[string]any) (int, bool) {
	switch v := params["ResultSize"].(type) {
	case nil:
		_, given := params["ResultSize"]
		return 1000, !given
	case string:
		if strings.EqualFold(v, "Unlimited") {
			return -1, true
		}
		n, err := strconv.Atoi(v)
		return n, err == nil && n > 0
	case float64:
		return int(v), v >= 1 && v == float64(int(v))
	}
	return 0, false
}

func (s *Server) getTransportConfig(map[string]any) graphResponse {
	return s.exchangeValue([]map[string]any{{
		"Identity":                         "Transport Settings",
		"SmtpClientAuthenticationDisabled": s.scenario.Tenant.SMTPAuth == SMTPAuthDisabled,
	}})
}

func (s *Server) getAuthenticationPolicy(map[string]any) graphResponse {
	var rows []map[string]any
	for _, p := range s.scenario.Tenant.AuthenticationPolicies {
		rows = append(rows, map[string]any{
			"Identity":           p.Name,
			"Name":               p.Name,
			"AllowBasicAuthSmtp": p.AllowBasicAuthSmtp,
		})
	}
	return s.exchangeValue(rows)
}

func (s *Server) setCASMailbox(params map[string]any) graphResponse {
	id, named := identityParam(params)
	if !named {
		return s.exchangeError(http.StatusBadRequest, "BadRequest", "Set-CASMailbox needs an Identity.")
	}
	raw, given := params["SmtpClientAuthenticationDisabled"]
	var value *bool
	switch v := raw.(type) {
	case bool:
		value = &v
	case nil:
		if !given {
			return s.exchangeError(http.StatusBadRequest, "BadRequest", "Set-CASMailbox here changes only SmtpClientAuthenticationDisabled.")
		}
	default:
		return s.exchangeError(http.StatusBadRequest, "BadRequest", "Cannot bind parameter 'SmtpClientAuthenticationDisabled'.")
	}
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	u := s.dir.lookup(id)
	if u == nil {
		return s.exchangeError(http.StatusNotFound, "NotFound", fmt.Sprintf("The operation couldn't be performed because object '%s' couldn't be found.", id))
	}
	u.SMTPAuthDisabled = false
	u.SMTPClientAuthenticationDisabled = value
	return s.exchangeValue(nil)
}
