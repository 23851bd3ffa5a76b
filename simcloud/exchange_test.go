package simcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// exchangeClient starts classic with the admin's roles replaced and signs
// the admin in for Exchange Online's admin endpoint.
func exchangeClient(t *testing.T, edit func(*Scenario), adminRoles ...string) *testClient {
	t.Helper()
	sc, err := LoadScenario("classic")
	if err != nil {
		t.Fatal(err)
	}
	for i := range sc.Users {
		if strings.EqualFold(sc.Users[i].UserPrincipalName, sc.Admin) {
			sc.Users[i].Roles = adminRoles
		}
	}
	if edit != nil {
		edit(sc)
	}
	c := startScenario(t, sc, Options{})
	dc := c.form("/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {"c"}, "scope": {exchangeAdminDefault + " offline_access"}})
	c.srv.ApproveDeviceCodes()
	tok := c.form("/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"device_code"}, "device_code": {dc.json["device_code"].(string)}})
	c.access, _ = tok.json["access_token"].(string)
	if c.access == "" {
		t.Fatalf("no Exchange token: %+v", tok)
	}
	return c
}

// invoke runs one cmdlet through InvokeCommand with the client's token.
func (c *testClient) invoke(cmdlet string, params map[string]any) testResponse {
	c.t.Helper()
	body, _ := json.Marshal(map[string]any{"CmdletInput": map[string]any{"CmdletName": cmdlet, "Parameters": params}})
	req, _ := http.NewRequest("POST", c.ep.ExchangeRoot+"/adminapi/beta/"+c.srv.scenario.Tenant.ID+"/InvokeCommand", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.access)
	req.Header.Set("Content-Type", "application/json")
	return c.do(req)
}

// row is the answer's only row.
func row(t *testing.T, r testResponse) map[string]any {
	t.Helper()
	rows, _ := r.json["value"].([]any)
	if r.status != http.StatusOK || len(rows) != 1 {
		t.Fatalf("want one row: %d %s", r.status, r.raw)
	}
	return rows[0].(map[string]any)
}

// The three reads answer in PascalCase inside value; a mailbox's $null is JSON null.
func TestExchangeReads(t *testing.T) {
	off, on := true, false
	c := exchangeClient(t, func(sc *Scenario) {
		sc.Tenant.SMTPAuth = SMTPAuthDisabled
		sc.Tenant.AuthenticationPolicies = []AuthenticationPolicy{{Name: "Block Basic SMTP", AllowBasicAuthSmtp: false}}
		for i := range sc.Users {
			switch sc.Users[i].UserPrincipalName {
			case sc.Account:
				sc.Users[i].SMTPClientAuthenticationDisabled = &on
			case sc.Admin:
				sc.Users[i].SMTPClientAuthenticationDisabled = &off
			}
		}
	}, "View-Only Organization Management")
	got := row(t, c.invoke("Get-CASMailbox", map[string]any{"Identity": backup}))
	if got["SmtpClientAuthenticationDisabled"] != false || got["PrimarySmtpAddress"] != backup {
		t.Fatalf("account's mailbox: %v", got)
	}
	admin := row(t, c.invoke("Get-CASMailbox", map[string]any{"Identity": c.srv.scenario.Admin}))
	if admin["SmtpClientAuthenticationDisabled"] != true {
		t.Fatalf("admin's mailbox: %v", admin)
	}
	all := c.invoke("get-casmailbox", nil)
	rows, _ := all.json["value"].([]any)
	if len(rows) != len(c.srv.scenario.Users) {
		t.Fatalf("every mailbox: %s", all.raw)
	}
	if v, present := rows[2].(map[string]any)["SmtpClientAuthenticationDisabled"]; !present || v != nil {
		t.Fatalf("an untouched mailbox reads null: %v", rows[2])
	}
	if tc := row(t, c.invoke("Get-TransportConfig", nil)); tc["SmtpClientAuthenticationDisabled"] != true {
		t.Fatalf("transport config: %v", tc)
	}
	if p := row(t, c.invoke("Get-AuthenticationPolicy", nil)); p["Name"] != "Block Basic SMTP" || p["AllowBasicAuthSmtp"] != false {
		t.Fatalf("authentication policy: %v", p)
	}
	if !strings.Contains(all.raw, `"@odata.context"`) {
		t.Fatalf("no @odata.context: %s", all.raw)
	}
}

// Reading needs an Exchange role, writing Exchange Administrator; an
// unknown cmdlet, a Graph token and an unknown mailbox are refused in the
// endpoint's error shape.
func TestExchangeRefusals(t *testing.T) {
	reader := exchangeClient(t, nil, "View-Only Organization Management")
	set := map[string]any{"Identity": backup, "SmtpClientAuthenticationDisabled": false}
	if r := reader.invoke("Set-CASMailbox", set); r.status != http.StatusForbidden || !strings.Contains(errorMessage(r), "Exchange Administrator") {
		t.Fatalf("a reader writes: %d %s", r.status, r.raw)
	}
	graphOnly := exchangeClient(t, nil, "Global Reader")
	if r := graphOnly.invoke("Get-TransportConfig", nil); r.status != http.StatusForbidden || !strings.Contains(errorMessage(r), "View-Only Organization Management") {
		t.Fatalf("no Exchange role reads: %d %s", r.status, r.raw)
	}
	if r := reader.invoke("Get-Mailbox", nil); r.status != http.StatusBadRequest || !strings.Contains(errorMessage(r), "is not recognized") {
		t.Fatalf("unknown cmdlet: %d %s", r.status, r.raw)
	}
	if r := reader.invoke("Get-CASMailbox", map[string]any{"Identity": "nobody@contoso.onmicrosoft.com"}); r.status != http.StatusNotFound {
		t.Fatalf("unknown mailbox: %d %s", r.status, r.raw)
	}
	withGraph := startClient(t, "classic")
	if r := withGraph.invoke("Get-TransportConfig", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("a Graph token: %d %s", r.status, r.raw)
	}
}

func errorMessage(r testResponse) string {
	e, _ := r.json["error"].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}

// Set-CASMailbox's false lets the mailbox send though the tenant's switch
// is off; $null hands it back to the tenant; SMTP's reply follows.
func TestSetCASMailboxOverridesTheTenant(t *testing.T) {
	c := exchangeClient(t, func(sc *Scenario) { sc.Tenant.SMTPAuth = SMTPAuthDisabled }, "Exchange Administrator")
	password := ""
	for _, u := range c.srv.scenario.Users {
		if u.UserPrincipalName == backup {
			password = u.Password
		}
	}
	if got := c.srv.SMTPAuth(backup, password); got != smtpTenantDisabled {
		t.Fatalf("before: %s", got)
	}
	if r := c.invoke("Set-CASMailbox", map[string]any{"Identity": backup, "SmtpClientAuthenticationDisabled": false}); r.status != http.StatusOK {
		t.Fatalf("set false: %d %s", r.status, r.raw)
	}
	if got := row(t, c.invoke("Get-CASMailbox", map[string]any{"Identity": backup})); got["SmtpClientAuthenticationDisabled"] != false {
		t.Fatalf("read back: %v", got)
	}
	if got := c.srv.SMTPAuth(backup, password); strings.Contains(got, "SmtpClientAuthentication is disabled") {
		t.Fatalf("the mailbox's false should override the tenant: %s", got)
	}
	c.invoke("Set-CASMailbox", map[string]any{"Identity": backup, "SmtpClientAuthenticationDisabled": nil})
	if got := c.srv.SMTPAuth(backup, password); got != smtpTenantDisabled {
		t.Fatalf("$null inherits the tenant's: %s", got)
	}
	c.invoke("Set-CASMailbox", map[string]any{"Identity": backup, "SmtpClientAuthenticationDisabled": true})
	if got := c.srv.SMTPAuth(backup, password); got != smtpMailboxDisabled {
		t.Fatalf("the mailbox's true: %s", got)
	}
}

// An authentication policy that refuses Basic for SMTP refuses the account's password.
func TestAuthenticationPolicyBlocksBasicSMTP(t *testing.T) {
	c := exchangeClient(t, func(sc *Scenario) {
		sc.Tenant.AuthenticationPolicies = []AuthenticationPolicy{{Name: "No Basic", AllowBasicAuthSmtp: false}}
		for i := range sc.Users {
			if sc.Users[i].UserPrincipalName == backup {
				sc.Users[i].AuthenticationPolicy = "No Basic"
			}
		}
	}, "Exchange Administrator")
	if got := c.srv.SMTPAuth(backup, "whatever"); got != smtpBasicOff {
		t.Fatalf("policy without Basic SMTP: %s", got)
	}
}

// Faults on the exchange route answer as they do on Graph.
func TestExchangeFaults(t *testing.T) {
	c := exchangeClient(t, nil, "Exchange Administrator")
	for _, tc := range []struct {
		kind   FaultKind
		status int
	}{{FaultThrottle, 429}, {FaultUnavailable, 503}, {FaultMissingRole, 403}, {FaultEmptyError, 500}} {
		if err := c.srv.AddFault(Fault{Kind: tc.kind, Endpoint: exchangeRoute, Times: 1}); err != nil {
			t.Fatal(err)
		}
		if r := c.invoke("Get-TransportConfig", nil); r.status != tc.status {
			t.Fatalf("%s: %d %s", tc.kind, r.status, r.raw)
		}
	}
	if err := c.srv.AddFault(Fault{Kind: FaultMissingLicence, Endpoint: exchangeRoute}); err == nil {
		t.Fatal("a licence fault would do nothing on Exchange's endpoint")
	}
	if r := c.invoke("Get-TransportConfig", nil); r.status != 200 {
		t.Fatalf("after the faults: %d %s", r.status, r.raw)
	}
}

// A scenario naming an authentication policy the tenant lacks is refused.
func TestUnknownAuthenticationPolicyIsRefused(t *testing.T) {
	raw := strings.Replace(fromScratch, `"users": [`, `"users": [ {"userPrincipalName": "x@fabrikam.example", "displayName": "X", "password": "p", "authenticationPolicy": "Nope"},`, 1)
	if _, err := ParseScenario([]byte(raw)); err == nil || !strings.Contains(err.Error(), "authenticationPolicy") {
		t.Fatalf("want a refusal, got %v", err)
	}
}

// invokeAt runs one cmdlet at url (InvokeCommand or a next link) asking
// for pages of size rows.
func (c *testClient) invokeAt(url string, size int, cmdlet string, params map[string]any) testResponse {
	c.t.Helper()
	body, _ := json.Marshal(map[string]any{"CmdletInput": map[string]any{"CmdletName": cmdlet, "Parameters": params}})
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.access)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Prefer", fmt.Sprintf("odata.maxpagesize = %d", size))
	return c.do(req)
}

// A listing pages at the asked size (1 here): following @odata.nextLink with the
// same body gives every mailbox once, in order; ResultSize bounds the rows;
// a link is good only for the cmdlet that made it.
func TestExchangePaging(t *testing.T) {
	c := exchangeClient(t, nil, "View-Only Organization Management")
	users := c.srv.scenario.Users
	if len(users) < 3 {
		t.Fatalf("classic has %d users; the test needs three pages", len(users))
	}
	url := c.ep.ExchangeRoot + "/adminapi/beta/" + c.srv.scenario.Tenant.ID + "/InvokeCommand"
	var got []string
	pages, next := 0, url
	var last testResponse
	for next != "" {
		last = c.invokeAt(next, 1, "Get-CASMailbox", map[string]any{"ResultSize": "Unlimited"})
		rows, ok := last.json["value"].([]any)
		if last.status != http.StatusOK || !ok || len(rows) > 1 {
			t.Fatalf("page %d: %d %s", pages, last.status, last.raw)
		}
		for _, r := range rows {
			got = append(got, r.(map[string]any)["PrimarySmtpAddress"].(string))
		}
		next, _ = last.json["@odata.nextLink"].(string)
		if next != "" && !strings.HasPrefix(next, url+"?") {
			t.Fatalf("the link leaves InvokeCommand: %s", next)
		}
		pages++
	}
	if pages != len(users) || len(got) != len(users) {
		t.Fatalf("%d pages, %d rows for %d mailboxes", pages, len(got), len(users))
	}
	for i, u := range users {
		if got[i] != u.UserPrincipalName {
			t.Fatalf("row %d: %s, want %s", i, got[i], u.UserPrincipalName)
		}
	}
	first := c.invokeAt(url, 1, "Get-CASMailbox", nil)
	link, _ := first.json["@odata.nextLink"].(string)
	if r := c.invokeAt(link, 1, "Get-AuthenticationPolicy", nil); r.status != http.StatusBadRequest {
		t.Fatalf("another cmdlet's link: %d %s", r.status, r.raw)
	}
	if r := c.invokeAt(url+"?$skiptoken=forged", 1, "Get-CASMailbox", nil); r.status != http.StatusBadRequest {
		t.Fatalf("a forged link: %d %s", r.status, r.raw)
	}
	if rows, _ := c.invokeAt(url, 1000, "Get-CASMailbox", map[string]any{"ResultSize": 3}).json["value"].([]any); len(rows) != 3 {
		t.Fatalf("ResultSize 3 gave %d rows", len(rows))
	}
	if r := c.invokeAt(url, 1000, "Get-CASMailbox", map[string]any{"ResultSize": "lots"}); r.status != http.StatusBadRequest {
		t.Fatalf("a ResultSize that is no number: %d %s", r.status, r.raw)
	}
	if r := c.invoke("Get-CASMailbox", nil); r.json["@odata.nextLink"] != nil {
		t.Fatalf("without Prefer, a small tenant fits the simulator's default page: %s", r.raw)
	}
}
