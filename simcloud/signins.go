package simcloud

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
)

// signInFilter is the one $filter shape apppass sends (and Graph supports):
// userPrincipalName eq '...' and createdDateTime ge <time>.
var signInFilter = regexp.MustCompile(`^userPrincipalName eq '((?:[^']|'')+)'(?: and createdDateTime ge (\S+))?$`)

func (s *Server) getSignIns(req *graphRequest) graphResponse {
	var upn string
	var since time.Time
	if f := req.query.Get("$filter"); f != "" {
		m := signInFilter.FindStringSubmatch(f)
		if m == nil {
			return s.graphError(http.StatusBadRequest, "Request_UnsupportedQuery", "Invalid filter clause: "+f)
		}
		upn = strings.ReplaceAll(m[1], "''", "'")
		if m[2] != "" {
			t, err := time.Parse(time.RFC3339, m[2])
			if err != nil {
				return s.graphError(http.StatusBadRequest, "Request_BadRequest", "Invalid createdDateTime value: "+m[2])
			}
			since = t
		}
	}
	s.dir.mu.Lock()
	var rows []signInEntry
	for _, e := range s.dir.signIns {
		if (upn == "" || strings.EqualFold(e.UPN, upn)) && !e.Created.Before(since) {
			rows = append(rows, e)
		}
	}
	s.dir.mu.Unlock()
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Created.After(rows[j].Created) })
	items := make([]map[string]any, 0, len(rows))
	for _, e := range rows {
		items = append(items, signInJSON(e, req.version == "beta", s.scenario.AppIPAddress))
	}
	return s.collection(req, "auditLogs/signIns", items)
}

// applied is appliedConditionalAccessPolicies, never null.
func applied(a []AppliedPolicy) []AppliedPolicy {
	if a == nil {
		return []AppliedPolicy{}
	}
	return a
}

func signInJSON(e signInEntry, beta bool, ip string) map[string]any {
	reason := e.Reason
	if e.ErrorCode == 0 {
		reason = "Other."
	}
	m := map[string]any{
		"id": e.ID, "createdDateTime": e.Created.Format(graphTime),
		"userDisplayName": e.DisplayName, "userPrincipalName": e.UPN, "userId": e.UserID,
		"appId": e.AppID, "appDisplayName": e.AppName, "ipAddress": ip,
		"clientAppUsed": e.ClientAppUsed, "correlationId": stableID("corr:" + e.ID),
		"conditionalAccessStatus": e.CAStatus, "isInteractive": false,
		"riskDetail": "none", "riskLevelAggregated": "none", "riskLevelDuringSignIn": "none",
		"riskState": "none", "riskEventTypes": []string{}, "resourceDisplayName": resourceName(e.ClientAppUsed),
		"status":                           map[string]any{"errorCode": e.ErrorCode, "failureReason": reason, "additionalDetails": nil},
		"appliedConditionalAccessPolicies": applied(e.Applied),
	}
	if beta {
		var reqs []map[string]any
		if e.MFAProvider != "" {
			reqs = append(reqs, map[string]any{"requirementProvider": e.MFAProvider, "detail": nil})
		}
		m["authenticationRequirementPolicies"] = reqs
	}
	return m
}

func resourceName(clientApp string) string {
	if clientApp == "Authenticated SMTP" || clientApp == "IMAP4" || clientApp == "POP3" || clientApp == "Exchange ActiveSync" {
		return "Office 365 Exchange Online"
	}
	if clientApp == "Other clients" {
		return "Office 365 SharePoint Online"
	}
	return "Microsoft Graph"
}
