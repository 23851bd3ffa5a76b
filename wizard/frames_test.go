package wizard

import (
	"flag"
	"fmt"

	"github.com/charmbracelet/x/ansi"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// updating reads -update, which teatest defines for its own golden files.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares the current frame with testdata/frames/WxH/NAME.txt.
func (h *harness) golden(name string) {
	h.t.Helper()
	got := h.frame()
	path := filepath.Join("testdata", "frames", fmt.Sprintf("%dx%d", h.m.width, h.m.height), name+".txt")
	if updating() {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			h.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatalf("%v (go test ./wizard -update)", err)
	}
	if string(want) != got {
		h.t.Errorf("frame %s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// sizes are the README's minimum and a roomy terminal.
var sizes = [][2]int{{80, 24}, {120, 40}}

// sized runs a test at each size.
func sized(t *testing.T, run func(t *testing.T, h func(scenario string) *harness)) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			run(t, func(scenario string) *harness {
				// A device code: the browser's page address is random.
				l := &testLauncher{t: t, dir: t.TempDir(), deviceCode: true}
				h := newHarnessWith(t, l, scenario)
				h.deliver(windowSize(sz[0], sz[1]))
				return h
			})
		})
	}
}

// The classic admin path, every screen it shows, as golden frames; every
// line of every screen is reachable with the keys the footer shows.
func TestClassicAdminFrames(t *testing.T) {
	sized(t, func(t *testing.T, start func(string) *harness) {
		h := start("classic")
		shot := func(name string) { h.t.Helper(); h.golden(name); h.reachable() }
		h.waitFor("Whose connection is it?")
		shot("01-welcome")
		h.press("down", "enter")
		h.waitFor("Waiting for you to sign in")
		shot("02-sign-in-code")
		h.press("a")
		h.waitFor("Signed in")
		shot("03-sign-in-done")
		h.press("enter")
		h.waitFor("The failing connection")
		shot("04-connection")
		h.press("enter")
		h.waitFor("Can an app password fix this?")
		shot("05-diagnosis")
		h.press("enter")
		h.waitFor("tenant setting · no API")
		shot("06-allow-app-passwords")
		h.press("y")
		h.waitFor("Make this change? [y/N]")
		shot("07-enforce-confirm")
		h.press("y")
		h.waitFor("Verified")
		shot("08-enforce-verified")
		h.press("enter")
		h.waitFor("Sign the account out everywhere?")
		shot("09-sign-out-confirm")
		h.press("y")
		h.waitFor("sign-in sessions: valid from")
		shot("10-sign-out-verified")
		h.press("enter")
		h.waitFor("App password option can appear") // the live read has come back
		shot("11-create")
		h.press("c")
		h.waitFor("Simulated Security info page")
		shot("12-create-demo")
		h.press("y")
		h.waitFor("Paste the app password")
		h.press("ctrl+d")
		h.waitFor("235 2.7.0")
		shot("13-test-accepted")
		h.press("enter")
		h.waitFor("Nothing from the app yet (the log read once)") // the first read has come back
		shot("13b-waiting-for-the-app")
		h.press("s")
		h.waitFor("Changes made")
		shot("14-summary")
		h.press("n")
		h.waitFor("Note for an admin")
		shot("15-admin-note")
		h.press("esc")
		h.waitFor("Changes made") // esc closes the note and stays on the summary
	})
}

// toDiagnosis takes the admin path to the diagnosis's verdict.
func (h *harness) toDiagnosis() {
	h.t.Helper()
	h.signInAsAdmin()
	h.press("enter")
	h.waitFor("Can an app password fix this?")
}

// signInAsAdmin takes the admin path to the connection screen.
func (h *harness) signInAsAdmin() {
	h.t.Helper()
	h.waitFor("Whose connection is it?")
	h.press("down", "enter")
	h.waitFor("Waiting for you to sign in")
	h.press("a")
	h.waitFor("Signed in")
	h.press("enter")
	h.waitFor("The failing connection")
}

// Every golden frame fits the terminal it was drawn for.
func TestFramesFitTheTerminal(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "frames", "*", "*.txt"))
	if len(files) < 40 {
		t.Fatalf("only %d golden frames", len(files))
	}
	for _, f := range files {
		var width, height int
		fmt.Sscanf(filepath.Base(filepath.Dir(f)), "%dx%d", &width, &height)
		data, _ := os.ReadFile(f)
		lines := strings.Split(string(data), "\n")
		if len(lines) > height {
			t.Errorf("%s: %d lines", f, len(lines))
		}
		for i, line := range lines {
			if w := ansi.StringWidth(line); w > width {
				t.Errorf("%s line %d is %d cells wide: %q", filepath.Base(f), i+1, w, line)
			}
		}
	}
}

func TestOtherScreensFrames(t *testing.T) {
	sized(t, func(t *testing.T, start func(string) *harness) {
		t.Run("picker", func(t *testing.T) {
			h := start("")
			h.waitFor("Choose a simulated tenant")
			h.golden("20-picker")
			h.reachable()
			h.press("up") // wraps to the last scenario, which must come into view
			if !strings.Contains(h.frame(), "› wrong-password") {
				t.Fatalf("the chosen scenario is not on screen:\n%s", h.frame())
			}
		})
		t.Run("no-app-password verdict", func(t *testing.T) {
			h := start("security-defaults")
			h.toDiagnosis()
			h.golden("21-diagnosis-security-defaults")
			h.reachable()
			h.press("enter")
			h.waitFor("Test the way forward")
			h.golden("23-oauth-test-offered")
			h.reachable()
			h.press("s")
			h.waitFor("Changes made")
			h.golden("22-summary-no-changes")
			h.reachable()
		})
		t.Run("missing role", func(t *testing.T) {
			h := start("admin-lacks-revoke")
			h.toDiagnosis()
			h.press("enter")
			h.waitFor("tenant setting · no API")
			h.press("y")
			h.waitFor("Make this change?")
			h.press("y")
			h.waitFor("Verified")
			h.press("enter")
			h.waitFor("Press n for a note")
			h.golden("23-sign-out-missing-role")
			h.press("n")
			h.waitFor("Note for an admin")
			h.golden("25-missing-role-note")
			h.reachable()
			if f := h.frame(); strings.Contains(f, "Enforce per-user MFA (needs") {
				t.Fatalf("the note asks for the enforce change already made:\n%s", f)
			}
			h.press("esc")
			h.waitFor("Press n for a note") // esc closes the note, stays on the screen
		})
	})
	t.Run("too small", func(t *testing.T) {
		h := newHarness(t, "classic")
		h.waitFor("Whose connection")
		h.deliver(windowSize(60, 20))
		h.golden("24-too-small")
	})
}

// reachable checks that every line of the current screen can be brought
// into view with the keys the footer shows, then scrolls back to the top.
func (h *harness) reachable() {
	h.t.Helper()
	body := &h.m.body
	for !body.AtTop() {
		h.press("pgup")
	}
	want := strings.Split(ansi.Strip(body.GetContent()), "\n")
	seen := map[string]bool{}
	for range 50 {
		for _, line := range strings.Split(ansi.Strip(body.View()), "\n") {
			seen[strings.TrimRight(line, " ")] = true
		}
		if body.AtBottom() {
			break
		}
		if !strings.Contains(h.frame(), "pgdn more below") {
			h.t.Fatalf("more lies below, but the footer does not say how to reach it:\n%s", h.frame())
		}
		h.press("pgdown")
	}
	for _, line := range want {
		if !seen[strings.TrimRight(line, " ")] {
			h.t.Fatalf("line %q cannot be reached; frame:\n%s", line, h.frame())
		}
	}
	for !body.AtTop() {
		h.press("pgup")
	}
}
