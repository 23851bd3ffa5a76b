package diagnosecmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apppass/apppass/internal/cmdutil"
)

// hostileChars are what an attacker puts in names to reach the terminal.
var hostileChars = []string{"\x1b", "\u009b", "\u202e", "\u2066", "\a"}

func assertTerminalSafe(t *testing.T, where, s string) {
	t.Helper()
	for _, c := range hostileChars {
		if strings.Contains(s, c) {
			t.Fatalf("%s carries %q raw:\n%q", where, c, s)
		}
	}
}

// A scenario's names reach diagnose's output cleaned: no clipboard write
// (OSC 52), no title, no reordered text.
func TestHostileScenarioNamesAreCleaned(t *testing.T) {
	home := isolate(t)
	hostile := strings.NewReplacer(
		`"description": "Scanner mail"`, `"description": "Scanner\u001b]52;c;ZXZpbA==\u0007 mail"`,
		`"entraP1": true`, `"displayName": "Fabrikam\u001b]0;pwned\u0007\u202etxt.exe\u001b[2J", "entraP1": true`,
	).Replace(scratchScenario)
	file := filepath.Join(home, "hostile.json")
	os.WriteFile(file, []byte(hostile), 0o600)
	for _, format := range []string{"--json", "--markdown", "--admin-note", "--user=scanner@fabrikam.example"} {
		code, out, errOut := runCLI(t, "", "--scenario-file", file, format)
		if code != cmdutil.ExitOK {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		assertTerminalSafe(t, format+" stdout", out)
		assertTerminalSafe(t, format+" stderr", errOut)
		if !strings.Contains(errOut, "Fabrikamtxt.exe") {
			t.Fatalf("%s: the tenant name is not shown cleaned: %q", format, errOut)
		}
	}
}

// Errors quote outside text (here a UPN given on the command line).
func TestErrorsAreCleaned(t *testing.T) {
	isolate(t)
	code, _, errOut := runCLI(t, "", "--user", "evil\u202e\x1b]52;c;AA==\a@contoso.com", "--service", "smtp")
	if code != cmdutil.ExitError {
		t.Fatalf("exit %d", code)
	}
	assertTerminalSafe(t, "stderr", errOut)
}
