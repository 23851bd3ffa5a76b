package simcloud

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// deviceCode starts a device-code sign-in and returns its device and user codes.
func (c *testClient) deviceCode() (device, user string) {
	c.t.Helper()
	dc := c.form("/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {"c"}, "scope": {"User.Read openid"}})
	device, _ = dc.json["device_code"].(string)
	user, _ = dc.json["user_code"].(string)
	if device == "" || user == "" || dc.json["verification_uri"] != c.ep.Authority+"/devicelogin" {
		c.t.Fatalf("device code: %s", dc.raw)
	}
	return device, user
}

func (c *testClient) poll(device string, headers ...string) testResponse {
	return c.form("/organizations/oauth2/v2.0/token",
		url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "client_id": {"c"}, "device_code": {device}}, headers...)
}

// The token endpoint answers a device code with the documented errors, in
// Entra's shape, echoing the client's correlation id.
func TestDeviceCodeErrors(t *testing.T) {
	c := startServer(t, "classic")
	device, _ := c.deviceCode()
	const corr = "0f0e0d0c-0b0a-4909-8807-060504030201"
	pending := c.poll(device, "client-request-id", corr)
	assertEntraError(t, pending, 400, "authorization_pending", 70016)
	if pending.json["correlation_id"] != corr {
		t.Fatalf("correlation id not echoed: %s", pending.raw)
	}
	assertEntraError(t, c.poll("simDC.forged"), 400, "bad_verification_code", 70018)

	c.clock.Advance(15*time.Minute + time.Second)
	assertEntraError(t, c.poll(device), 400, "expired_token", 70019)

	device, _ = c.deviceCode()
	c.srv.ApproveDeviceCodes()
	if ok := c.poll(device); ok.status != 200 {
		t.Fatalf("approved: %s", ok.raw)
	}
	assertEntraError(t, c.poll(device), 400, "bad_verification_code", 70018) // redeemed once only
}

// The verification page approves the code a person types there, forgiving
// case and dashes; a wrong or expired code is refused.
func TestDeviceLoginPage(t *testing.T) {
	c := startServer(t, "classic")
	if form := c.get("/devicelogin"); form.status != 200 || !strings.Contains(form.raw, `name="otc"`) {
		t.Fatalf("form: %d %s", form.status, form.raw)
	}
	device, user := c.deviceCode()
	enter := func(code string) testResponse {
		return c.form("/devicelogin", url.Values{"otc": {code}})
	}
	if wrong := enter("NOTACODE1"); wrong.status != 400 || !strings.Contains(wrong.raw, "AADSTS70018") {
		t.Fatalf("wrong code: %d %s", wrong.status, wrong.raw)
	}
	assertEntraError(t, c.poll(device), 400, "authorization_pending", 70016)
	typed := strings.ToLower(user[:4] + "-" + user[4:])
	if ok := enter(typed); ok.status != 200 || !strings.Contains(ok.raw, c.srv.Scenario().Admin) {
		t.Fatalf("right code %q: %d %s", typed, ok.status, ok.raw)
	}
	if tok := c.poll(device); tok.status != 200 || tok.json["access_token"] == nil {
		t.Fatalf("after the page: %s", tok.raw)
	}

	_, user = c.deviceCode()
	c.clock.Advance(16 * time.Minute)
	if late := enter(user); late.status != 400 || !strings.Contains(late.raw, "AADSTS70019") {
		t.Fatalf("expired code: %d %s", late.status, late.raw)
	}
}

// Signing out goes back to a loopback app, and nowhere else.
func TestLogout(t *testing.T) {
	c := startServer(t, "classic")
	back := "http://localhost:8400/signed-out"
	r := c.get("/organizations/oauth2/v2.0/logout?post_logout_redirect_uri=" + url.QueryEscape(back))
	if r.status != 302 || r.header.Get("Location") != back {
		t.Fatalf("loopback: %d %v", r.status, r.header)
	}
	r = c.get("/organizations/oauth2/v2.0/logout?post_logout_redirect_uri=" + url.QueryEscape("https://evil.example/"))
	if r.status != 200 || r.header.Get("Location") != "" {
		t.Fatalf("elsewhere: %d %v", r.status, r.header)
	}
}
