package simcloud

import (
	"strings"
	"testing"
	"time"
)

// An expired Exchange token, or one without SMTP.Send, is refused with
// 535 5.7.3; Basic auth off does not matter to OAuth, the tenant switch does.
func TestSMTPOAuthDecisions(t *testing.T) {
	c := startServer(t, "classic")
	s := c.srv
	s.dir.mu.Lock()
	owner := s.dir.byUPN(backup).ID
	s.dir.mu.Unlock()
	issue := func(expires time.Time, scopes ...string) string {
		a, _ := s.tokens.issue(&session{userID: owner, scopes: scopes, expires: expires, audience: audienceExchange})
		return a
	}
	live := issue(time.Now().Add(time.Hour), "SMTP.Send")
	if got := s.smtpOAuth(backup, live); got != smtpOK {
		t.Fatalf("live token: %s", got)
	}
	if got := s.smtpOAuth(backup, issue(time.Now().Add(-time.Minute), "SMTP.Send")); got != smtpBadCredentials {
		t.Fatalf("expired token: %s", got)
	}
	if got := s.smtpOAuth(backup, issue(time.Now().Add(time.Hour), "openid")); got != smtpBadCredentials {
		t.Fatalf("no SMTP.Send: %s", got)
	}
	s.scenario.Tenant.SMTPAuth = SMTPAuthBasicOff
	if got := s.smtpOAuth(backup, live); got != smtpOK {
		t.Fatalf("Basic off: %s", got)
	}
	s.scenario.Tenant.SMTPAuth = SMTPAuthDisabled
	if got := s.smtpOAuth(backup, live); !strings.Contains(got, "disabled for the Tenant") {
		t.Fatalf("tenant switch off: %s", got)
	}
}

// Entra issues a token for one resource at a time.
func TestTwoResourcesAreRefused(t *testing.T) {
	c := startServer(t, "classic")
	dc := c.form("/organizations/oauth2/v2.0/devicecode", map[string][]string{"client_id": {"c"}, "scope": {"User.Read https://outlook.office.com/SMTP.Send"}})
	c.srv.ApproveDeviceCodes()
	tok := c.form("/organizations/oauth2/v2.0/token", map[string][]string{"grant_type": {"device_code"}, "device_code": {dc.json["device_code"].(string)}})
	assertEntraError(t, tok, 400, "invalid_scope", 28000)
}
