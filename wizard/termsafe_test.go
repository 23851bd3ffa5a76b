package wizard

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/simcloud"
)

// Names from the tenant reach the full screen cleaned: the frame the
// terminal gets has no escape but our colours and no bidi override.
func TestHostileNamesDoNotReachTheScreen(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), mutate: func(sc *simcloud.Scenario) {
		sc.Tenant.DisplayName = "Contoso\x1b]52;c;ZXZpbA==\a\u202etxt.exe"
		for i := range sc.Users {
			sc.Users[i].DisplayName = "Megan\x1b[2J\x1b]0;pwned\a\u2066"
		}
	}}
	h := newHarnessWith(t, l, "classic")
	h.waitFor("Whose connection is it?")
	h.press("down", "enter")
	h.waitFor("Waiting for you to sign in")
	h.press("a")
	h.waitFor("Signed in")
	frame := h.m.View().Content
	for _, bad := range []string{"\x1b]", "\x1b[2J", "\a", "\u202e", "\u2066"} {
		if strings.Contains(frame, bad) {
			t.Fatalf("the frame carries %q", bad)
		}
	}
	if !strings.Contains(h.frame(), "Contosotxt.exe") {
		t.Fatalf("the tenant name is not shown cleaned:\n%s", h.frame())
	}
}
