package simcloud

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// accountRows reads the account's rows of both tabs from beta, with or
// without the Prefer header, newest first.
func accountRows(c *testClient, upn string, prefer bool) []map[string]any {
	c.t.Helper()
	var headers []string
	if prefer {
		headers = []string{"Prefer", PreferUnknownEnums}
	}
	r := c.graph("GET", betaLogPath("userPrincipalName eq '"+upn+"' and "+bothKinds), nil, headers...)
	if r.status != 200 {
		c.t.Fatalf("%d %s", r.status, r.raw)
	}
	var rows []map[string]any
	for _, v := range r.json["value"].([]any) {
		rows = append(rows, v.(map[string]any))
	}
	return rows
}

func errorCodeOf(row map[string]any) int {
	return int(row["status"].(map[string]any)["errorCode"].(float64))
}

// "Conditional Access policies are enforced after first-factor
// authentication is completed": a 50126 row carries notApplied and no
// applied policies, even where an enabled policy covers the account; the
// rows that passed the password carry the policy's failure.
func TestFirstFactorRowsCarryNoConditionalAccess(t *testing.T) {
	c := startClient(t, "first-factor-row")
	c.srv.SMTPAuth(backup, "wrong password") // one more, live
	rows := accountRows(c, backup, true)
	var firstFactor, blocked int
	for _, row := range rows {
		applied := row["appliedConditionalAccessPolicies"].([]any)
		switch code := errorCodeOf(row); code {
		case 50126:
			firstFactor++
			if row["conditionalAccessStatus"] != "notApplied" || len(applied) != 0 {
				t.Errorf("50126 row with %v and %v", row["conditionalAccessStatus"], applied)
			}
		case 53003:
			blocked++
			if row["conditionalAccessStatus"] != "failure" || !strings.Contains(string(mustJSON(t, applied)), `"result":"failure"`) {
				t.Errorf("53003 row with %v and %v", row["conditionalAccessStatus"], applied)
			}
		}
	}
	if firstFactor != 2 || blocked != 2 || errorCodeOf(rows[0]) != 50126 {
		t.Fatalf("%d first-factor and %d blocked rows, newest %d", firstFactor, blocked, errorCodeOf(rows[0]))
	}
	for _, code := range []int{50126, 50053, 50055, 50057, 50034} {
		sc, _ := LoadScenario("first-factor-row")
		sc.SignInSeed[0].Applied = []AppliedPolicy{{DisplayName: "Require MFA for all users", Result: "failure"}}
		sc.SignInSeed[0].ErrorCode = code
		data, _ := json.Marshal(sc)
		if _, err := ParseScenario(data); err == nil || !strings.Contains(err.Error(), "first factor") {
			t.Errorf("a %d seed with an applied policy was accepted: %v", code, err)
		}
	}
}

// Report-only results are evolvable enum members: Graph names them only
// to a request that sends Prefer: include-unknown-enum-members, else
// unknownFutureValue; the same in a $batch item's headers.
func TestReportOnlyResultsNeedThePreferHeader(t *testing.T) {
	c := startClient(t, "report-only-live")
	result := func(rows []map[string]any) string {
		for _, a := range rows[0]["appliedConditionalAccessPolicies"].([]any) {
			p := a.(map[string]any)
			if strings.HasPrefix(p["displayName"].(string), "Block legacy authentication") {
				return p["result"].(string)
			}
		}
		return ""
	}
	if got := result(accountRows(c, backup, false)); got != "unknownFutureValue" {
		t.Errorf("without the header: %q", got)
	}
	if got := result(accountRows(c, backup, true)); got != "reportOnlyFailure" {
		t.Errorf("with the header: %q", got)
	}
	item := func(headers map[string]string) string {
		body, _ := json.Marshal(map[string]any{"requests": []map[string]any{{"id": "1", "method": "GET",
			"url": "/auditLogs/signIns?$filter=" + url.QueryEscape("userPrincipalName eq '"+backup+"' and "+bothKinds), "headers": headers}}})
		r := c.graph("POST", "/beta/$batch", body, "Content-Type", "application/json")
		return r.raw
	}
	if raw := item(nil); strings.Contains(raw, "reportOnlyFailure") || !strings.Contains(raw, "unknownFutureValue") {
		t.Errorf("batch item without the header: %s", raw)
	}
	if raw := item(map[string]string{"prefer": PreferUnknownEnums}); !strings.Contains(raw, "reportOnlyFailure") {
		t.Errorf("batch item with the header: %s", raw)
	}
	if got := evolvable("authenticationStrengths", laterProviders, false); got != "unknownFutureValue" {
		t.Errorf("a newer requirementProvider without the header: %q", got)
	}
	if got := evolvable("user", laterProviders, false); got != "user" {
		t.Errorf("an older requirementProvider without the header: %q", got)
	}
}

// legacySignInsLoggedAs puts legacy rows on one tab or both; modern rows
// are always interactive; v1.0 shows the interactive tab only.
func TestLegacyRowsTab(t *testing.T) {
	for kind, wantInteractive := range map[string]int{LoggedInteractive: 3, LoggedNonInteractive: 0} {
		sc, _ := LoadScenario("classic")
		sc.LegacySignInsLoggedAs = kind
		data, _ := json.Marshal(sc)
		sc, err := ParseScenario(data)
		if err != nil {
			t.Fatal(err)
		}
		c := startScenario(t, sc, Options{})
		tok := c.deviceCodeToken("organizations")
		c.access, _ = tok.json["access_token"].(string)
		v1 := c.graph("GET", logPath("userPrincipalName eq '"+backup+"'"), nil)
		if got := len(v1.json["value"].([]any)); got != wantInteractive {
			t.Errorf("%s: %d interactive rows, want %d", kind, got, wantInteractive)
		}
		if got := len(accountRows(c, backup, true)); got != 3 {
			t.Errorf("%s: %d rows on both tabs, want 3", kind, got)
		}
	}
	if _, err := ParseScenario([]byte(`{"name":"x","asOf":"2026-11-21","legacySignInsLoggedAs":"sometimes","tenant":{"domain":"a.b"}}`)); err == nil {
		t.Error("an unknown tab was accepted")
	}
}

// "$true: Authenticated SMTP is disabled. This is the default value for
// organizations created after January 2020" (Set-TransportConfig).
func TestTenantCreatedDecidesSMTPAuthDefault(t *testing.T) {
	for created, want := range map[string]string{"2020-01-31": SMTPAuthEnabled, "2020-02-01": SMTPAuthDisabled, "2021-06-14T08:00:00Z": SMTPAuthDisabled, "": SMTPAuthEnabled} {
		sc, _ := LoadScenario("classic")
		sc.Tenant.CreatedDateTime, sc.Tenant.SMTPAuth = created, ""
		data, _ := json.Marshal(sc)
		got, err := ParseScenario(data)
		if err != nil || got.Tenant.SMTPAuth != want {
			t.Errorf("created %q: %v %v, want %s", created, got.Tenant.SMTPAuth, err, want)
		}
	}
	c := startClient(t, "post-2020-tenant")
	if got := c.srv.SMTPAuth(backup, "Backup-Sim-2026!"); !strings.Contains(got, "disabled for the Tenant") {
		t.Errorf("a 2021 tenant's SMTP AUTH answered %s", got)
	}
	org := c.graph("GET", "/v1.0/organization", nil).json["value"].([]any)[0].(map[string]any)
	if org["createdDateTime"] != "2021-06-14T00:00:00Z" {
		t.Errorf("organization: %v", org)
	}
	for _, bad := range []string{"yesterday", "2030-01-01"} {
		sc, _ := LoadScenario("classic")
		sc.Tenant.CreatedDateTime = bad
		data, _ := json.Marshal(sc)
		if _, err := ParseScenario(data); err == nil {
			t.Errorf("createdDateTime %q accepted", bad)
		}
	}
}

// With smtpOAuthNeedsOwnApp, Graph Command Line Tools asking for Exchange's
// SMTP.Send is refused with AADSTS65002; another client id gets its token.
func TestFirstPartyClientRefusedSMTPSend(t *testing.T) {
	c := startServer(t, "classic")
	c.srv.scenario.Tenant.SMTPOAuthNeedsOwnApp = true
	token := func(client string) testResponse {
		dc := c.form("/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {client}, "scope": {"https://outlook.office.com/SMTP.Send"}})
		c.srv.ApproveDeviceCodes()
		return c.form("/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"device_code"}, "device_code": {dc.json["device_code"].(string)}})
	}
	assertEntraError(t, token(graphCommandLineTools), 400, "invalid_client", 65002)
	if own := token("5f1c2a9e-0000-4000-8000-00000000abcd"); own.json["access_token"] == nil {
		t.Fatalf("the customer's own app: %s", own.raw)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
