package wizard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/simcloud"
)

// Where an app password cannot help an SMTP app (security defaults, a
// policy blocking legacy clients), the wizard offers the OAuth route's
// test: the owner signs in for SMTP.Send, XOAUTH2 is accepted, and the
// summary and the admin note say the route works while the app-password
// answer stays no.
func TestOAuthRouteWhereAnAppPasswordCannotHelp(t *testing.T) {
	for _, scenario := range []string{"security-defaults", "ca-blocks-legacy"} {
		t.Run(scenario, func(t *testing.T) {
			h := newHarness(t, scenario)
			h.toDiagnosis()
			h.press("enter")
			h.waitFor("Test the way forward: SMTP AUTH with OAuth")
			if f := h.frame(); !strings.Contains(f, "SMTP AUTH with OAuth (XOAUTH2): when") || !strings.Contains(f, "never stored") {
				t.Fatalf("the routes or the token promise are missing:\n%s", f)
			}
			h.press("enter")
			h.waitFor("simulated account owner (backup@")
			h.press("a")
			h.waitFor("235 2.7.0")
			if !strings.Contains(h.frame(), "Switch the app to OAuth 2.0") {
				t.Fatalf("the accepted reply is not explained:\n%s", h.frame())
			}
			h.press("enter")
			h.waitFor("Changes made")
			f := h.frame()
			if !strings.Contains(f, "App password: No") || !strings.Contains(f, "✓ OAuth test: done") {
				t.Fatalf("the summary does not say both:\n%s", f)
			}
			h.press("n")
			h.waitFor("Note for an admin")
			h.reachable()
			var joined strings.Builder
			for _, line := range strings.Split(ansi.Strip(h.m.body.GetContent()), "\n") {
				joined.WriteString(" " + strings.Trim(line, " │"))
			}
			if !strings.Contains(joined.String(), "The OAuth route works for this mailbox") {
				t.Fatalf("the admin note does not say the OAuth route works:\n%s", ansi.Strip(h.m.body.GetContent()))
			}
		})
	}
}

// A refused token request is the OAuth test's answer: the screen explains
// it, enter records it, and the summary shows the test failed.
func TestOAuthTestRecordsARefusal(t *testing.T) {
	h := newHarness(t, "security-defaults")
	h.toDiagnosis()
	h.press("enter")
	h.waitFor("Test the way forward")
	if err := h.launcher.srv.AddFault(simcloud.Fault{Kind: simcloud.FaultSignInDeclined, Endpoint: "authorize", Times: 1}); err != nil {
		t.Fatal(err)
	}
	h.press("enter")
	h.waitFor("simulated account owner")
	h.press("a")
	h.waitFor("record this refusal")
	h.press("enter")
	h.waitFor("Changes made")
	if f := h.frame(); !strings.Contains(f, "✗ OAuth test: failed — AADSTS65004") {
		t.Fatalf("the refusal is not the recorded result:\n%s", f)
	}
}
