package democmd

import (
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
	"github.com/apppass/apppass/internal/cmdutil/cmdtest"
)

// Exit codes, named as the tests have always named them.
const (
	exitOK    = cmdutil.ExitOK
	exitError = cmdutil.ExitError
)

var isolate = cmdtest.Isolate

// runCLI runs `apppass demo` with args.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return cmdtest.Run(t, Run, stdin, args...)
}

// Without a terminal (or with --accessible) the wizard asks plain questions
// and prints the diagnosis instead of drawing a screen.
func TestPlainModeAsksAndDiagnoses(t *testing.T) {
	isolate(t)
	code, out, errOut := runCLI(t, "y\n\n\nsmtp\n(401) Unauthorized\n", "--accessible", "--scenario", "security-defaults")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "Account the app signs in as") || !strings.Contains(out, "Can an app password fix this? No") || !strings.Contains(out, "== Summary ==") {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", out, errOut)
	}
	if strings.Contains(out, "\x1b[") {
		t.Fatal("plain mode drew escape sequences")
	}
	// Without a terminal, the same plain walk; at the end of the piped
	// answers every question takes its default (No), so nothing changes.
	code, out, errOut = runCLI(t, "y\n", "--scenario", "classic")
	if code != exitOK || !strings.Contains(out, "– Enforce MFA: declined") || !strings.Contains(out, "== Summary ==") {
		t.Fatalf("no terminal: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestLiveFlagsRefused(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{{"--cloud", "china"}, {"--tenant", "contoso.com"}, {"--client-id", "x"}} {
		code, _, errOut := runCLI(t, "", args...)
		if code != exitError || !strings.Contains(errOut, "does not apply to the demo") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

// Help lists the demo's flags, not the live ones it refuses.
func TestHelpListsTheDemoFlags(t *testing.T) {
	code, out, _ := runCLI(t, "", "--help")
	if code != exitOK || !strings.Contains(out, "--scenario NAME") || !strings.Contains(out, "--fault SPEC") || !strings.Contains(out, "--accessible") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "--tenant") || strings.Contains(out, "--cloud") {
		t.Fatalf("help lists flags the demo refuses:\n%s", out)
	}
}

// A bad scenario is refused before the screen would open.
func TestBadScenarioRefusedFirst(t *testing.T) {
	if code, _, errOut := runCLI(t, "", "--scenario", "atlantis"); code != exitError || !strings.Contains(errOut, "atlantis") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}
