package simcloud

import (
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// readLog follows @odata.nextLink from path to the end and returns the ids
// of every row read, in order, and how many pages it took.
func (c *testClient) readLog(path string) (ids []string, pages int) {
	c.t.Helper()
	for path != "" {
		if pages++; pages > 1000 {
			c.t.Fatal("paging does not end")
		}
		r := c.graph("GET", path, nil)
		if r.status != 200 {
			c.t.Fatalf("%s: %d %s", path, r.status, r.raw)
		}
		for _, v := range r.json["value"].([]any) {
			ids = append(ids, v.(map[string]any)["id"].(string))
		}
		next, _ := r.json["@odata.nextLink"].(string)
		path = strings.TrimPrefix(next, c.ep.GraphRoot)
	}
	return ids, pages
}

// wantLog is, worked out without the simulator's paging, the ids of the
// rows keep selects in Graph's order: newest first, and rows of one second
// newest-logged first.
func wantLog(srv *Server, keep func(e signInEntry) bool) []string {
	srv.dir.mu.Lock()
	rows := slices.Clone(srv.dir.signIns)
	srv.dir.mu.Unlock()
	slices.SortFunc(rows, func(a, b signInEntry) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return b.Seq - a.Seq
	})
	ids := []string{}
	for _, e := range rows {
		if keep(e) {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

// logPath is the v1.0 sign-in log with a $filter.
func logPath(filter string) string {
	return "/v1.0/auditLogs/signIns?$filter=" + url.QueryEscape(filter)
}

// bothKinds is the beta clause that asks for interactive and non-interactive rows.
const bothKinds = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')"

// betaLogPath is the beta sign-in log with a $filter.
func betaLogPath(filter string) string {
	return "/beta/auditLogs/signIns?$filter=" + url.QueryEscape(filter)
}

func TestSignInFilter(t *testing.T) {
	c := startClient(t, "fleet")
	upn := c.srv.Scenario().Account
	all := wantLog(c.srv, func(signInEntry) bool { return true })
	c.srv.dir.mu.Lock()
	at := c.srv.dir.signIns[len(all)/2].Created // a row's own time, to tell ge from gt
	c.srv.dir.mu.Unlock()
	later := at.Add(36 * time.Hour)
	stamp := func(t time.Time) string { return t.Format(time.RFC3339) }
	cases := []struct {
		filter string
		keep   func(e signInEntry) bool
	}{
		{"", func(signInEntry) bool { return true }},
		{"userPrincipalName eq '" + upn + "'", func(e signInEntry) bool { return e.UPN == upn }},
		{"userPrincipalName eq '" + strings.ToUpper(upn) + "'", func(e signInEntry) bool { return e.UPN == upn }},
		{"userPrincipalName eq 'nobody@contoso.onmicrosoft.com'", func(signInEntry) bool { return false }},
		{"clientAppUsed eq 'Authenticated SMTP'", func(e signInEntry) bool { return e.ClientAppUsed == "Authenticated SMTP" }},
		{"clientAppUsed eq 'imap4'", func(e signInEntry) bool { return e.ClientAppUsed == "IMAP4" }},
		{"createdDateTime ge " + stamp(at), func(e signInEntry) bool { return !e.Created.Before(at) }},
		{"createdDateTime eq " + stamp(at), func(e signInEntry) bool { return e.Created.Equal(at) }},
		{"createdDateTime le " + stamp(at), func(e signInEntry) bool { return !e.Created.After(at) }},
		{"createdDateTime ge " + stamp(at) + " and createdDateTime le " + stamp(later),
			func(e signInEntry) bool { return !e.Created.Before(at) && !e.Created.After(later) }},
		{"createdDateTime le " + stamp(later) + " and clientAppUsed eq 'POP3' and createdDateTime ge " + stamp(at),
			func(e signInEntry) bool {
				return e.ClientAppUsed == "POP3" && !e.Created.Before(at) && !e.Created.After(later)
			}},
		{"clientAppUsed eq 'Authenticated SMTP' and userPrincipalName eq '" + upn + "' and createdDateTime ge " + at.Add(-72*time.Hour).Format("2006-01-02T15:04:05.000Z"),
			func(e signInEntry) bool {
				return e.ClientAppUsed == "Authenticated SMTP" && e.UPN == upn && !e.Created.Before(at.Add(-72*time.Hour))
			}},
		{"status/errorCode eq 50126", func(e signInEntry) bool { return e.ErrorCode == 50126 }},
	}
	// Without a signInEventTypes clause Graph returns interactive rows only
	// (v1.0 and beta); beta's clause asks for either tab or both.
	interactive := func(keep func(signInEntry) bool) func(signInEntry) bool {
		return func(e signInEntry) bool { return !e.NonInteractive && keep(e) }
	}
	for _, tc := range cases {
		t.Run(tc.filter, func(t *testing.T) {
			want := wantLog(c.srv, interactive(tc.keep))
			got, _ := c.readLog(logPath(tc.filter))
			if !slices.Equal(got, want) {
				t.Fatalf("%d rows, want %d (of %d)", len(got), len(want), len(all))
			}
			both := strings.TrimPrefix(tc.filter+" and "+bothKinds, " and ")
			if got, _ := c.readLog(betaLogPath(both)); !slices.Equal(got, wantLog(c.srv, tc.keep)) {
				t.Fatalf("with both kinds: %d rows, want %d", len(got), len(wantLog(c.srv, tc.keep)))
			}
			only := strings.TrimPrefix(tc.filter+" and signInEventTypes/any(x:x eq 'nonInteractiveUser')", " and ")
			wantNon := wantLog(c.srv, func(e signInEntry) bool { return e.NonInteractive && tc.keep(e) })
			if got, _ := c.readLog(betaLogPath(only)); !slices.Equal(got, wantNon) {
				t.Fatalf("non-interactive: %d rows, want %d", len(got), len(wantNon))
			}
		})
	}
	if len(wantLog(c.srv, func(e signInEntry) bool { return e.NonInteractive })) == 0 {
		t.Fatal("the fleet logs no non-interactive rows: the default must log legacy rows on both tabs")
	}
}

func TestSignInFilterRefusals(t *testing.T) {
	c := startClient(t, "locked-out")
	const when = "2026-11-20T09:00:00Z"
	cases := map[string]string{
		"errorCode eq 0":                                                "Request_UnsupportedQuery",
		"userPrincipalName ne 'a@b.c'":                                  "Request_UnsupportedQuery",
		"startswith(userPrincipalName,'svc')":                           "Request_UnsupportedQuery",
		"userPrincipalName eq 'a@b.c' or clientAppUsed eq 'IMAP4'":      "Request_UnsupportedQuery",
		"userPrincipalName eq 'a@b.c' and":                              "Request_UnsupportedQuery",
		"and userPrincipalName eq 'a@b.c'":                              "Request_UnsupportedQuery",
		"userPrincipalName eq 'a@b.c' and userPrincipalName eq 'd@e.f'": "Request_UnsupportedQuery",
		"createdDateTime ge " + when + " and createdDateTime le " + when + " and createdDateTime ge " + when: "Request_UnsupportedQuery",
		"createdDateTime gt " + when:                                      "Request_UnsupportedQuery",
		"createdDateTime lt " + when:                                      "Request_UnsupportedQuery",
		"status/errorCode ge 50000":                                       "Request_UnsupportedQuery",
		"status/errorCode ne 0":                                           "Request_UnsupportedQuery",
		"status/errorCode eq '50126'":                                     "Request_UnsupportedQuery",
		"clientAppUsed ne 'IMAP4'":                                        "Request_UnsupportedQuery",
		bothKinds:                                                         "BadRequest", // v1.0 has no signInEventTypes
		"createdDateTime ge '" + when + "'":                               "Request_UnsupportedQuery",
		"userPrincipalName eq a@b.c":                                      "Request_UnsupportedQuery",
		"userPrincipalName eq 'a@b.c":                                     "Request_UnsupportedQuery",
		"(userPrincipalName eq 'a@b.c')":                                  "Request_UnsupportedQuery",
		"createdDateTime ge 2026-11-20":                                   "Request_BadRequest",
		"createdDateTime ge yesterday":                                    "Request_BadRequest",
		"userPrincipalName eq 'a@b.c' and clientAppUsed eq 'IMAP4' extra": "Request_UnsupportedQuery",
	}
	for filter, code := range cases {
		r := c.graph("GET", logPath(filter), nil)
		errObj, _ := r.json["error"].(map[string]any)
		if r.status != 400 || errObj["code"] != code {
			t.Errorf("%q: %d %s, want 400 %s", filter, r.status, r.raw, code)
		}
	}
}

// Quoted strings keep their spaces and doubled quotes, and " and " inside
// one is not a conjunction.
func TestSignInFilterQuotes(t *testing.T) {
	f, refused := parseSignInFilter("clientAppUsed eq 'a and b' and userPrincipalName eq 'o''brien@b.c'", false)
	if refused != nil || f.clientApp.value != "a and b" || f.upn.value != "o'brien@b.c" {
		t.Fatalf("%+v %+v", f, refused)
	}
	if f, _ := parseSignInFilter("userPrincipalName eq ''", false); !f.upn.set || f.upn.matches("a@b.c") {
		t.Fatal("an empty string must match no one, not everyone")
	}
}

func TestSignInTop(t *testing.T) {
	c := startClient(t, "fleet")
	for top, rows := range map[string]int{"": 1000, "1": 1, "1000": 1000, "250": 250} {
		r := c.graph("GET", "/v1.0/auditLogs/signIns?$top="+top, nil)
		if got, _ := r.json["value"].([]any); r.status != 200 || len(got) != rows || r.json["@odata.nextLink"] == nil {
			t.Errorf("$top=%s: %d, %d rows, want %d and a next page", top, r.status, len(got), rows)
		}
	}
	for _, top := range []string{"0", "1001", "-1", "2.5", "abc"} {
		if r := c.graph("GET", "/v1.0/auditLogs/signIns?$top="+top, nil); r.status != 400 || !strings.Contains(r.raw, "Invalid page size") {
			t.Errorf("$top=%s: %d %s", top, r.status, r.raw)
		}
	}
}

// 20,000 rows (and the admin's sign-in) at $top=1000: every row once,
// newest first, a full page at a time, and rows logged while the client
// pages do not shift the pages still to come.
func TestSignInPagingEveryRowOnce(t *testing.T) {
	c := startClient(t, "fleet")
	want := wantLog(c.srv, func(signInEntry) bool { return true })
	if len(want) < 20_000 {
		t.Fatalf("the fleet's log has %d rows", len(want))
	}
	got, pages := c.readLog(betaLogPath(bothKinds) + "&$top=1000")
	if pages != (len(want)+999)/1000 || !slices.Equal(got, want) {
		t.Fatalf("%d rows in %d pages, not the log's %d rows in order", len(got), pages, len(want))
	}

	first := c.graph("GET", betaLogPath(bothKinds)+"&$top=1000", nil)
	account := c.srv.Scenario().Account
	for range 3 {
		c.clock.Advance(time.Second)
		c.srv.SMTPAuth(account, "wrong") // a new row, the newest of all
	}
	rest, _ := c.readLog(strings.TrimPrefix(first.json["@odata.nextLink"].(string), c.ep.GraphRoot))
	if len(rest) != len(want)-1000 || !slices.Equal(rest, want[1000:]) {
		t.Fatalf("after new rows arrived: %d rows, want the %d older ones", len(rest), len(want)-1000)
	}
	for _, token := range []string{"garbage", base64.RawURLEncoding.EncodeToString([]byte("x.y"))} {
		if r := c.graph("GET", "/v1.0/auditLogs/signIns?$skiptoken="+token, nil); r.status != 400 {
			t.Errorf("$skiptoken=%s: %d", token, r.status)
		}
	}
}

// v1.0 rows have no authenticationRequirementPolicies; beta rows always do.
func TestSignInRowShape(t *testing.T) {
	c := startClient(t, "classic")
	v1 := c.graph("GET", "/v1.0/auditLogs/signIns?$top=1", nil).json["value"].([]any)[0].(map[string]any)
	beta := c.graph("GET", "/beta/auditLogs/signIns?$top=1&$filter="+url.QueryEscape("userPrincipalName eq '"+backup+"'"), nil).json["value"].([]any)[0].(map[string]any)
	fields := []string{"id", "createdDateTime", "userDisplayName", "userPrincipalName", "userId", "appId", "appDisplayName",
		"ipAddress", "location", "clientAppUsed", "correlationId", "conditionalAccessStatus", "isInteractive", "riskDetail",
		"riskLevelAggregated", "riskLevelDuringSignIn", "riskState", "riskEventTypes", "resourceDisplayName", "status",
		"appliedConditionalAccessPolicies"}
	for _, f := range fields {
		if _, ok := v1[f]; !ok {
			t.Errorf("v1.0 row without %s", f)
		}
	}
	if _, ok := v1["authenticationRequirementPolicies"]; ok || len(v1) != len(fields) {
		t.Errorf("v1.0 row: %v", v1)
	}
	reqs, ok := beta["authenticationRequirementPolicies"].([]any)
	if !ok || len(reqs) != 1 || reqs[0].(map[string]any)["requirementProvider"] != "user" {
		t.Errorf("beta row: %v", beta)
	}
}

// BenchmarkSignInLogPage serves one 1,000-row page of the fleet's log
// through the Graph handler, without the network: the newest page, and the
// first page of one protocol in a time window, as a tenant-wide scan reads.
func BenchmarkSignInLogPage(b *testing.B) {
	sc, err := LoadScenario("fleet")
	if err != nil {
		b.Fatal(err)
	}
	srv := New(sc, Options{})
	token, _ := srv.tokens.issue(&session{userID: srv.dir.byUPN(sc.Admin).ID, scopes: allScopes,
		audience: audienceGraph, expires: time.Now().Add(time.Hour)})
	handler := srv.Handler()
	get := func(query string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/v1.0/auditLogs/signIns?"+query, nil)
		r.Header.Set("Authorization", "Bearer "+token)
		handler.ServeHTTP(w, r)
		return w
	}
	pages := []struct{ name, query string }{
		{"newest", "$top=1000"},
		{"protocol-window", "$filter=" + url.QueryEscape("clientAppUsed eq 'Authenticated SMTP' and "+
			"createdDateTime ge 2026-11-16T00:00:00Z and createdDateTime le 2026-11-18T23:59:59Z")},
	}
	for _, p := range pages {
		var page struct{ Value []json.RawMessage }
		if w := get(p.query); w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &page) != nil || len(page.Value) != 1000 {
			b.Fatalf("%s: %d, %d rows", p.name, w.Code, len(page.Value))
		}
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				get(p.query)
			}
		})
	}
}
