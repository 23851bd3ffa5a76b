package wizard

import (
	"strings"
	"testing"
)

// The regular-password check never runs without consent, and never twice
// for one account in a run: every attempt counts toward smart lockout.
func TestPasswordCheckLockoutSafety(t *testing.T) {
	h := newHarness(t, "classic")
	srv := func() int { return h.launcher.srv.SignInAttempts(backup) }
	h.toDiagnosis()
	start := srv()

	for _, refuse := range []string{"n", "enter", "x"} {
		h.press("p")
		h.waitFor("smart lockout")
		h.press(refuse)
		h.settle()
		if srv() != start || strings.Contains(h.frame(), "regular password of") {
			t.Fatalf("answer %q led to a password prompt or attempt", refuse)
		}
	}
	h.press("p")
	h.waitFor("[y/N]")
	h.press("y")
	h.typeText("Backup-Sim-2026!")
	h.press("enter")
	h.waitFor("the password was correct")
	if srv() != start+1 {
		t.Fatalf("attempts %d, want %d", srv(), start+1)
	}
	h.press("p")
	h.settle()
	if strings.Contains(h.frame(), "smart lockout") {
		t.Fatal("a second check was offered")
	}
	// Leaving and coming back builds a new diagnosis; the guard still refuses.
	h.press("esc")
	h.waitFor("The failing connection")
	h.press("enter")
	h.waitFor("Can an app password fix this?")
	h.press("p")
	h.settle()
	if strings.Contains(h.frame(), "smart lockout") || strings.Contains(h.frame(), "password check") {
		t.Fatal("the check was offered again after it ran")
	}
	if srv() != start+1 {
		t.Fatalf("a second attempt was made: %d", srv())
	}
}
