package simcloud

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"strings"
	"testing"
)

func TestGraphErrorShape(t *testing.T) {
	c := startClient(t, "classic")
	r := c.graph("GET", "/v1.0/users/nobody@contoso.onmicrosoft.com", nil)
	errObj, _ := r.json["error"].(map[string]any)
	inner, _ := errObj["innerError"].(map[string]any)
	if r.status != 404 || errObj["code"] != "Request_ResourceNotFound" || inner["request-id"] == "" || inner["date"] == "" {
		t.Fatalf("404 body: %s", r.raw)
	}
	unauth := c.graph("GET", "/v1.0/me", nil, "Authorization", "Bearer forged")
	if unauth.status != 401 {
		t.Fatalf("forged token: %d", unauth.status)
	}
}

func TestUserSelect(t *testing.T) {
	c := startClient(t, "classic")
	plain := c.graph("GET", "/v1.0/users/"+backup, nil)
	if _, ok := plain.json["accountEnabled"]; ok || plain.json["userPrincipalName"] != backup {
		t.Fatalf("without $select: %s", plain.raw)
	}
	sel := c.graph("GET", "/v1.0/users('"+backup+"')?$select=id,accountEnabled,signInSessionsValidFromDateTime", nil)
	if sel.json["accountEnabled"] != true || sel.json["signInSessionsValidFromDateTime"] == nil || sel.json["displayName"] != nil {
		t.Fatalf("with $select: %s", sel.raw)
	}
}

func TestPatchAcceptsGzip(t *testing.T) {
	c := startClient(t, "wrong-password") // backup: disabled, unregistered
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"perUserMfaState":"enabled"}`))
	zw.Close()
	r := c.graph("PATCH", "/beta/users/"+backup+"/authentication/requirements", buf.Bytes(),
		"Content-Type", "application/json", "Content-Encoding", "gzip")
	if r.status != 204 {
		t.Fatalf("gzipped PATCH: %d %s", r.status, r.raw)
	}
	if u, _ := c.srv.User(backup); u.PerUserMFAState != MFAEnabled {
		t.Fatalf("state %s", u.PerUserMFAState)
	}
	bad := c.graph("PATCH", "/beta/users/"+backup+"/authentication/requirements", []byte(`{"perUserMfaState":"always"}`))
	if bad.status != 400 {
		t.Fatalf("invalid state: %d", bad.status)
	}
	if v1 := c.graph("GET", "/v1.0/users/"+backup+"/authentication/requirements", nil); v1.status != 400 {
		t.Fatalf("requirements exist only in beta, v1.0 answered %d", v1.status)
	}
}

func TestPagingFollowsNextLink(t *testing.T) {
	c := startClient(t, "locked-out") // five failed sign-ins, on both tabs
	path := betaLogPath("userPrincipalName eq '"+backup+"' and "+bothKinds) + "&$top=2"
	var codes []float64
	for pages := 0; path != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		r := c.graph("GET", path, nil)
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		for _, v := range r.json["value"].([]any) {
			codes = append(codes, v.(map[string]any)["status"].(map[string]any)["errorCode"].(float64))
		}
		next, _ := r.json["@odata.nextLink"].(string)
		path = strings.TrimPrefix(next, c.ep.GraphRoot)
	}
	if len(codes) != 5 || codes[0] != 50053 || codes[4] != 50126 {
		t.Fatalf("codes newest first = %v", codes)
	}
	if r := c.graph("GET", "/v1.0/auditLogs/signIns?$filter=errorCode%20ne%200", nil); r.status != 400 {
		t.Fatalf("unsupported filter answered %d", r.status)
	}
}

func TestBatch(t *testing.T) {
	c := startClient(t, "classic")
	c.srv.AddFault(Fault{Kind: FaultThrottle, Endpoint: "securityDefaults", Times: 1})
	body, _ := json.Marshal(map[string]any{"requests": []map[string]any{
		{"id": "1", "method": "GET", "url": "/me?$select=id,userPrincipalName"},
		{"id": "2", "method": "GET", "url": "/policies/identitySecurityDefaultsEnforcementPolicy"},
		{"id": "3", "method": "GET", "url": "/users/nobody@contoso.onmicrosoft.com"},
	}})
	r := c.graph("POST", "/v1.0/$batch", body, "Content-Type", "application/json")
	if r.status != 200 {
		t.Fatalf("batch: %d %s", r.status, r.raw)
	}
	status := map[string]float64{}
	for _, item := range r.json["responses"].([]any) {
		m := item.(map[string]any)
		status[m["id"].(string)] = m["status"].(float64)
	}
	if status["1"] != 200 || status["2"] != 429 || status["3"] != 404 {
		t.Fatalf("item statuses %v", status)
	}
	var many []map[string]any
	for i := range 21 {
		many = append(many, map[string]any{"id": string(rune('a' + i)), "method": "GET", "url": "/me"})
	}
	big, _ := json.Marshal(map[string]any{"requests": many})
	if r := c.graph("POST", "/v1.0/$batch", big); r.status != 400 {
		t.Fatalf("21 requests answered %d", r.status)
	}
	mixed, _ := json.Marshal(map[string]any{"requests": []map[string]any{{"id": "1", "method": "GET", "url": "/beta/me"}}})
	r = c.graph("POST", "/v1.0/$batch", mixed)
	if first := r.json["responses"].([]any)[0].(map[string]any); first["status"].(float64) != 400 {
		t.Fatalf("a beta item in a v1.0 batch answered %v", first["status"])
	}
}

func TestScopesAreEnforced(t *testing.T) {
	c := startClient(t, "classic")
	c.srv.tokens.mu.Lock()
	c.srv.tokens.access[c.access].scopes = []string{"User.Read"}
	c.srv.tokens.mu.Unlock()
	if r := c.graph("GET", "/v1.0/me", nil); r.status != 200 {
		t.Fatalf("/me with User.Read: %d", r.status)
	}
	r := c.graph("GET", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", nil)
	if r.status != 403 || !strings.Contains(r.raw, "Authorization_RequestDenied") {
		t.Fatalf("without Policy.Read.All: %d %s", r.status, r.raw)
	}
}

func TestParseFault(t *testing.T) {
	f, err := ParseFault("throttle:signIns:2")
	if err != nil || f.Kind != FaultThrottle || f.Endpoint != "signIns" || f.Times != 2 {
		t.Fatalf("%+v %v", f, err)
	}
	for bad, want := range map[string]string{
		"earthquake": "unknown fault", "throttle:nowhere": "unknown endpoint", "throttle:me:x": "TIMES",
		"throttle:me:1:2": "KIND[:ENDPOINT[:TIMES]]", "throttle:me:3abc": `not "3abc"`, "latency:me:0x10": `not "0x10"`,
		"throttle:me:-1": "TIMES", "throttle:me:+3": "TIMES", "throttle:me: 3": "TIMES", "throttle:me:99999999999999999999": "TIMES",
		"throttle:token": "does nothing on endpoint token", "malformed:batch": "does nothing on endpoint batch",
		"device-code-declined:me": "does nothing on endpoint me",
	} {
		if _, err := ParseFault(bad); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error about %q", bad, err, want)
		}
	}
	for _, good := range []string{"hang:batch:1", "unavailable:token:2", "device-code-expired:token", "throttle::0", "latency"} {
		if _, err := ParseFault(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}
