package wizard

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/simcloud"
)

// toSignIn takes the admin path to the sign-in screen.
func (h *harness) toSignIn() {
	h.t.Helper()
	h.waitFor("Whose connection")
	h.press("down", "enter")
	h.waitFor("Waiting for you to sign in")
}

// The default sign-in is the browser: the screen shows the page's address
// to copy (the authorize endpoint, on the simulated authority), the keys
// to open it again, copy it or use a code, and signs in when the
// simulated person opens the page. Every line is reachable at 80x24.
func TestBrowserSignInIsTheDefault(t *testing.T) {
	h := newHarness(t, "classic")
	h.deliver(windowSize(80, 24))
	h.toSignIn()
	frame := h.frame()
	var joined strings.Builder // the address, wrapped, read back whole
	for _, line := range strings.Split(frame, "\n") {
		joined.WriteString(strings.TrimSpace(line))
	}
	for _, want := range []string{"Sign in in the browser window that opened", "https://127.0.0.1:PORT/", "d sign in with a code instead", "c copy the address"} {
		if !strings.Contains(joined.String(), want) && !strings.Contains(frame, want) {
			t.Fatalf("%q missing from the browser sign-in:\n%s", want, frame)
		}
	}
	// The address is one line, cut at the edge (issue 21, case 8: it filled
	// five); what c copies and the link opens is the whole of it.
	if shown := h.m.common.Shown; len(shown) != 1 || !strings.Contains(shown[0], "/oauth2/v2.0/authorize?") || !strings.Contains(shown[0], "code_challenge_method=S256") {
		t.Fatalf("the screen's address is not the authorize address: %q", shown)
	}
	h.reachable()
	h.press("a")
	h.waitFor("Signed in")
	if !strings.Contains(h.frame(), "Megan Bowen") {
		t.Fatalf("the admin path did not sign the admin in:\n%s", h.frame())
	}
}

// When the browser cannot open, the address stays on screen to open by
// hand, and d switches to a device code, which signs in.
func TestBrowserThatCannotOpenFallsBackToACode(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), browserFails: true}
	h := newHarnessWith(t, l, "classic")
	h.toSignIn()
	h.waitFor("Could not open a browser here: no browser in tests")
	h.press("d")
	h.waitFor("enter this code")
	h.press("a")
	h.waitFor("Signed in")
}

// A refusal in the browser gets its screen and offers the code; a refusal
// of the device code gets its screen and offers the browser: 53003 says
// the tenant blocks device-code sign-in, and the browser then signs in.
func TestSignInRefusals(t *testing.T) {
	t.Run("declined in the browser", func(t *testing.T) {
		h := newHarness(t, "classic", simcloud.Fault{Kind: simcloud.FaultSignInDeclined, Endpoint: "authorize", Times: 1})
		h.toSignIn()
		h.press("a")
		h.waitFor("The consent was declined (AADSTS65004)")
		h.waitFor("Press d to sign in with a code on any device instead")
		h.press("d")
		h.waitFor("enter this code")
		h.press("a")
		h.waitFor("Signed in")
	})
	cases := map[simcloud.FaultKind]string{
		simcloud.FaultDeviceCodeDeclined: "declined",
		simcloud.FaultDeviceCodeExpired:  "expired",
		simcloud.FaultCABlocksDeviceCode: "blocks signing in with a device code",
	}
	for fault, want := range cases {
		t.Run(string(fault), func(t *testing.T) {
			l := &testLauncher{t: t, dir: t.TempDir(), deviceCode: true, faults: []simcloud.Fault{{Kind: fault, Times: 1}}}
			h := newHarnessWith(t, l, "classic")
			h.toSignIn()
			h.waitFor("Signing in with a code: --device-code asked for it")
			h.press("a")
			h.waitFor(want)
			h.waitFor("Press b to sign in with the browser instead")
			if fault == simcloud.FaultCABlocksDeviceCode {
				h.press("b") // the policy blocks codes, not the browser
				h.waitFor("Sign in in the browser window that opened")
			} else {
				h.press("r") // the fault is used up: a new code works
				h.waitFor("enter this code")
			}
			h.press("a")
			h.waitFor("Signed in")
		})
	}
}

// Without admin consent for the admin path's scopes, the sign-in says so
// with the v2 admin-consent address for exactly those scopes; the owner's
// path, which asks only for what needs no admin consent, still signs in.
func TestConsentRequired(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), mutate: func(sc *simcloud.Scenario) {
		sc.Tenant.ConsentedScopes = []string{"User.Read", "UserAuthenticationMethod.Read", "openid", "profile", "offline_access"}
	}}
	h := newHarnessWith(t, l, "classic")
	h.toSignIn()
	h.press("a")
	h.waitFor("apppass's permissions have not been consented to in this tenant")
	// The address is on a line of its own (cut at the edge at this width);
	// c copies it whole.
	shown := strings.Join(h.m.common.Shown, " ")
	if !strings.Contains(h.frame(), "/v2.0/adminconsent?client_id=") || !strings.Contains(shown, "/v2.0/adminconsent?client_id=") || !strings.Contains(shown, "Policy.Read.All") {
		t.Fatalf("no v2 admin-consent address with the scopes (c copies %q):\n%s", shown, h.frame())
	}
	h.press("esc")
	h.waitFor("Whose connection")
	h.press("enter") // my own connection
	h.waitFor("Waiting for you to sign in")
	h.press("a")
	h.waitFor("Backup Service (backup@")
}
