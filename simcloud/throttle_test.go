package simcloud

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// tokenFor signs the admin in with a device code for another client id:
// Graph's reports budget is per app.
func (c *testClient) tokenFor(clientID string) string {
	c.t.Helper()
	dc := c.form("/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {clientID}, "scope": {strings.Join(graphScopes(), " ")}})
	c.srv.ApproveDeviceCodes()
	tok := c.form("/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"device_code"}, "device_code": {dc.json["device_code"].(string)}})
	access, _ := tok.json["access_token"].(string)
	if access == "" {
		c.t.Fatalf("no token for %s: %+v", clientID, tok)
	}
	return access
}

// The identity and access reports answer five requests per ten seconds per
// app per tenant, then 429 with Retry-After; each $batch item counts; an
// other app has its own budget; time refills it.
func TestReportsAreThrottledPerApp(t *testing.T) {
	c := startClient(t, "classic")
	log := "/beta/auditLogs/signIns?$top=1"
	for i := range 5 {
		if r := c.graphOnce("GET", log, nil); r.status != 200 {
			t.Fatalf("request %d: %d %s", i+1, r.status, r.raw)
		}
	}
	r := c.graphOnce("GET", log, nil)
	if r.status != 429 || r.header.Get("Retry-After") != "2" || r.json["error"].(map[string]any)["code"] != "TooManyRequests" {
		t.Fatalf("sixth request in 10 s: %d Retry-After %q %s", r.status, r.header.Get("Retry-After"), r.raw)
	}
	methods := "/users/" + backup + "/authentication/methods"
	if status, _ := c.batchStatuses(methods, "/me"); status["1"] != 429 || status["2"] != 200 {
		t.Fatalf("a methods read inside $batch counts against the same budget: %v", status)
	}
	other := c.tokenFor("another-app")
	if r := c.graphOnce("GET", log, nil, "Authorization", "Bearer "+other); r.status != 200 {
		t.Fatalf("another app's budget is its own: %d", r.status)
	}
	c.clock.Advance(2 * time.Second)
	if r := c.graphOnce("GET", log, nil); r.status != 200 {
		t.Fatalf("after Retry-After: %d", r.status)
	}
	if r := c.graphOnce("GET", log, nil); r.status != 429 {
		t.Fatalf("one request per two seconds refills: %d", r.status)
	}
	c.clock.Advance(10 * time.Second)
	var items []string
	for range 6 {
		items = append(items, methods)
	}
	status, headers := c.batchStatuses(items...)
	throttled := 0
	for id, s := range status {
		if s == 429 {
			throttled++
			if headers[id]["Retry-After"] != "2" {
				t.Errorf("item %s: Retry-After %v", id, headers[id]["Retry-After"])
			}
		}
	}
	if throttled != 1 {
		t.Fatalf("six method reads in one $batch after a full refill: %d throttled, want 1 (%v)", throttled, status)
	}
}

// Conditional Access policies and named locations share one request per
// second per tenant, whatever the app, and their 429 has no Retry-After.
func TestConditionalAccessThrottledWithoutRetryAfter(t *testing.T) {
	c := startClient(t, "classic")
	if r := c.graphOnce("GET", "/v1.0/identity/conditionalAccess/policies", nil); r.status != 200 {
		t.Fatalf("first: %d %s", r.status, r.raw)
	}
	r := c.graphOnce("GET", "/v1.0/identity/conditionalAccess/namedLocations", nil)
	if r.status != 429 || r.header.Get("Retry-After") != "" {
		t.Fatalf("second in the same second: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if r := c.graphOnce("GET", "/v1.0/identity/conditionalAccess/policies", nil, "Authorization", "Bearer "+c.tokenFor("another-app")); r.status != 429 {
		t.Fatalf("the budget is the tenant's, not the app's: %d", r.status)
	}
	c.clock.Advance(time.Second)
	if r := c.graphOnce("GET", "/v1.0/identity/conditionalAccess/namedLocations", nil); r.status != 200 {
		t.Fatalf("a second later: %d", r.status)
	}
	if c.srv.Throttled() != 2 {
		t.Fatalf("Throttled() = %d, want 2", c.srv.Throttled())
	}
	if r := c.graphOnce("GET", "/v1.0/me", nil); r.status != 200 {
		t.Fatalf("other routes are not limited here: %d", r.status)
	}
}
