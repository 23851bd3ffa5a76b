package simcloud

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const graphTime = "2006-01-02T15:04:05Z"

func (s *Server) context(req *graphRequest, fragment string) string {
	return "https://graph.microsoft.com/" + req.version + "/$metadata#" + fragment
}

func (s *Server) notFound(id string) graphResponse {
	return s.graphError(http.StatusNotFound, "Request_ResourceNotFound",
		fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id))
}

// target returns the {id} user of the request, locking the directory; the
// caller must unlock (via the returned func) when done.
func (s *Server) target(req *graphRequest) (*userState, func()) {
	s.dir.mu.Lock()
	return s.dir.lookup(req.params["id"]), s.dir.mu.Unlock
}

// userDefaultProps are the properties Graph returns without $select.
var userDefaultProps = []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
	"officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"}

func (s *Server) userJSON(u *userState) map[string]any {
	given, surname, _ := strings.Cut(u.DisplayName, " ")
	return map[string]any{
		"id": u.ID, "displayName": u.DisplayName, "userPrincipalName": u.UserPrincipalName,
		"mail": u.UserPrincipalName, "givenName": given, "surname": surname, "businessPhones": []string{},
		"jobTitle": nil, "mobilePhone": nil, "officeLocation": nil, "preferredLanguage": "en-US",
		"accountEnabled": u.enabled(), "userType": u.UserType, "onPremisesSyncEnabled": nilIfFalse(u.OnPremisesSync),
		"signInSessionsValidFromDateTime": u.sessionsValidFrom.Format(graphTime),
		"lastPasswordChangeDateTime":      u.lastPasswordChange.Format(graphTime),
	}
}

// nilIfFalse mirrors Graph, which reports onPremisesSyncEnabled as null for cloud-only accounts.
func nilIfFalse(b bool) any {
	if b {
		return true
	}
	return nil
}

// selectProps keeps the $select properties, or Graph's defaults without one.
func selectProps(full map[string]any, query string) map[string]any {
	props := userDefaultProps
	if query != "" {
		props = strings.Split(query, ",")
	}
	out := map[string]any{}
	for _, p := range props {
		if v, ok := full[strings.TrimSpace(p)]; ok {
			out[strings.TrimSpace(p)] = v
		}
	}
	return out
}

func (s *Server) getMe(req *graphRequest) graphResponse {
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	u := s.dir.users[req.caller.userID]
	body := selectProps(s.userJSON(u), req.query.Get("$select"))
	body["@odata.context"] = s.context(req, "users/$entity")
	return graphResponse{status: http.StatusOK, body: body}
}

func (s *Server) getUser(req *graphRequest) graphResponse {
	u, unlock := s.target(req)
	defer unlock()
	if u == nil {
		return s.notFound(req.params["id"])
	}
	body := selectProps(s.userJSON(u), req.query.Get("$select"))
	body["@odata.context"] = s.context(req, "users/$entity")
	return graphResponse{status: http.StatusOK, body: body}
}

func (s *Server) getOrganization(req *graphRequest) graphResponse {
	t := s.scenario.Tenant
	domainType := "Managed"
	if t.Federated {
		domainType = "Federated"
	}
	org := map[string]any{
		"id": t.ID, "displayName": t.DisplayName, "createdDateTime": s.scenario.TenantCreated().Format(graphTime),
		"verifiedDomains": []map[string]any{{
			"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": true, "isInitial": !t.Federated,
			"name": t.Domain, "type": domainType,
		}},
	}
	return s.collection(req, "organization", []map[string]any{org})
}

func (s *Server) roleObjects(u *userState) []map[string]any {
	var out []map[string]any
	for _, r := range u.Roles {
		out = append(out, map[string]any{
			"@odata.type": "#microsoft.graph.directoryRole", "id": stableID("role:" + r),
			"displayName": r, "roleTemplateId": roleTemplateIDs[r],
		})
	}
	return out
}

func (s *Server) getMyRoles(req *graphRequest) graphResponse {
	s.dir.mu.Lock()
	roles := s.roleObjects(s.dir.users[req.caller.userID])
	s.dir.mu.Unlock()
	return s.collection(req, "directoryObjects", roles)
}

func (s *Server) getMemberOf(req *graphRequest) graphResponse {
	u, unlock := s.target(req)
	defer unlock()
	if u == nil {
		return s.notFound(req.params["id"])
	}
	var out []map[string]any
	for _, g := range u.Groups {
		id := s.scenario.groupID(g)
		out = append(out, map[string]any{"@odata.type": "#microsoft.graph.group", "id": id, "displayName": g})
	}
	out = append(out, s.roleObjects(u)...)
	return s.collection(req, "directoryObjects", out)
}

func (s *Server) getRequirements(req *graphRequest) graphResponse {
	u, unlock := s.target(req)
	defer unlock()
	if u == nil {
		return s.notFound(req.params["id"])
	}
	return graphResponse{status: http.StatusOK, body: map[string]any{
		"@odata.context":  s.context(req, "users('"+u.ID+"')/authentication/requirements/$entity"),
		"perUserMfaState": u.PerUserMFAState,
	}}
}

func (s *Server) getMethods(req *graphRequest) graphResponse {
	u, unlock := s.target(req)
	defer unlock()
	if u == nil {
		return s.notFound(req.params["id"])
	}
	created := s.Now().Add(-60 * 24 * time.Hour).Format(graphTime)
	var out []map[string]any
	for _, m := range u.Methods {
		item := map[string]any{"@odata.type": methodTypes[m], "id": stableID("method:" + u.ID + m)}
		switch m {
		case "password":
			item["id"] = "28c10230-6103-485e-b985-444c60001490" // the fixed id Graph gives every password method
			item["password"] = nil
			item["createdDateTime"] = created
		case "microsoftAuthenticator":
			item["displayName"] = "iPhone"
			item["deviceTag"] = "SoftwareTokenActivated"
			item["phoneAppVersion"] = "6.8.7"
			item["createdDateTime"] = created
		case "phone":
			item["phoneNumber"] = "+1 2065550100"
			item["phoneType"] = "mobile"
			item["smsSignInState"] = "notAllowedByPolicy"
		}
		out = append(out, item)
	}
	return s.collection(req, "users('"+u.ID+"')/authentication/methods", out)
}

func (s *Server) getSecurityDefaults(req *graphRequest) graphResponse {
	return graphResponse{status: http.StatusOK, body: map[string]any{
		"@odata.context": s.context(req, "policies/identitySecurityDefaultsEnforcementPolicy/$entity"),
		"id":             "00000000-0000-0000-0000-000000000005",
		"displayName":    "Security Defaults",
		"description":    "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization.",
		"isEnabled":      s.scenario.Tenant.SecurityDefaults,
	}}
}

func (s *Server) getCAPolicies(req *graphRequest) graphResponse {
	created := s.scenario.AsOfTime().Add(-200 * 24 * time.Hour).Format(graphTime)
	var out []map[string]any
	for _, p := range s.scenario.Policies {
		m := toMap(p)
		m["createdDateTime"] = created
		m["modifiedDateTime"] = nil
		out = append(out, m)
	}
	return s.collection(req, "identity/conditionalAccess/policies", out)
}

func (s *Server) getNamedLocations(req *graphRequest) graphResponse {
	out := make([]map[string]any, 0, len(s.scenario.NamedLocations))
	for _, l := range s.scenario.NamedLocations {
		ranges := make([]map[string]any, 0, len(l.IPRanges))
		for _, r := range l.IPRanges {
			kind := "#microsoft.graph.iPv4CidrRange"
			if strings.Contains(r, ":") {
				kind = "#microsoft.graph.iPv6CidrRange"
			}
			ranges = append(ranges, map[string]any{"@odata.type": kind, "cidrAddress": r})
		}
		out = append(out, map[string]any{"@odata.type": "#microsoft.graph.ipNamedLocation", "id": l.ID,
			"displayName": l.DisplayName, "isTrusted": l.IsTrusted, "ipRanges": ranges,
			"createdDateTime": s.scenario.AsOfTime().Add(-300 * 24 * time.Hour).Format(graphTime), "modifiedDateTime": nil})
	}
	return s.collection(req, "identity/conditionalAccess/namedLocations", out)
}

func (s *Server) getSharePointSettings(req *graphRequest) graphResponse {
	return graphResponse{status: http.StatusOK, body: map[string]any{
		"@odata.context":                    s.context(req, "admin/sharepoint/settings/$entity"),
		"isLegacyAuthProtocolsEnabled":      s.scenario.Tenant.SharePointLegacyAuth,
		"isResharingByExternalUsersEnabled": false,
		"sharingCapability":                 "externalUserSharingOnly",
		"tenantDefaultTimezone":             "(UTC) Coordinated Universal Time",
	}}
}

// collection answers a list, one page at a time ($top, then an opaque
// $skiptoken in @odata.nextLink).
func (s *Server) collection(req *graphRequest, entity string, items []map[string]any) graphResponse {
	top := 100
	if v, err := strconv.Atoi(req.query.Get("$top")); err == nil && v > 0 && v < 1000 {
		top = v
	}
	start := 0
	if tok := req.query.Get("$skiptoken"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if n, err2 := strconv.Atoi(string(raw)); err != nil || err2 != nil || n < 0 || n > len(items) {
			return s.graphError(http.StatusBadRequest, "Request_BadRequest", "The specified page token value has expired or is invalid.")
		} else {
			start = n
		}
	}
	end := min(start+top, len(items))
	page := items[start:end]
	if page == nil {
		page = []map[string]any{}
	}
	body := map[string]any{"@odata.context": s.context(req, entity), "value": page}
	if end < len(items) {
		q := req.query
		q.Set("$skiptoken", base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end))))
		body["@odata.nextLink"] = req.base + "/" + req.version + "/" + strings.Join(req.segs, "/") + "?" + q.Encode()
	}
	return graphResponse{status: http.StatusOK, body: body}
}
