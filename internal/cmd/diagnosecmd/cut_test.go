package diagnosecmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/apppass/apppass/internal/cmdutil"
)

// Issue 22, case 1: a display name ending in an unterminated sequence cut
// every report after the Account line (exit 0), and made --json invalid.
// Each ending now leaves every format whole and clean.
func TestOneEscapeSequenceCutsNothing(t *testing.T) {
	endings := map[string]string{
		"ESC ]": `\u001b]`, "ESC P": `\u001bP`, "ESC _": `\u001b_`, "U+009D": `\u009d`, "U+0098": `\u0098`,
		"lone ESC before a line break": `\u001b\n`, "RLO": `\u202e`,
	}
	for name, end := range endings {
		t.Run(name, func(t *testing.T) {
			home := isolate(t)
			hostile := strings.NewReplacer(
				`"perUserMfaState"`, `"displayName": "Scanner`+end+`", "perUserMfaState"`,
				`"entraP1": true`, `"displayName": "Fabrikam`+end+`", "entraP1": true`,
			).Replace(scratchScenario)
			file := filepath.Join(home, "hostile.json")
			if err := os.WriteFile(file, []byte(hostile), 0o600); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"": "\nPlan\n", "--markdown": "## Plan", "--admin-note": "Thank you."}
			for format, last := range want {
				args := []string{"--scenario-file", file}
				if format != "" {
					args = append(args, format)
				}
				code, out, errOut := runCLI(t, "", args...)
				if code != cmdutil.ExitOK {
					t.Fatalf("%s: exit %d: %s", format, code, errOut)
				}
				if !strings.Contains(out, "Can an app password fix this?") || !strings.Contains(out, last) {
					t.Fatalf("%s: the report was cut:\n%s", format, out)
				}
				assertNoControls(t, format, out)
			}
			code, out, errOut := runCLI(t, "", "--scenario-file", file, "--json")
			if code != cmdutil.ExitOK {
				t.Fatalf("--json: exit %d: %s", code, errOut)
			}
			var v struct {
				Answer string `json:"appPasswordCanHelp"`
			}
			if err := json.Unmarshal([]byte(out), &v); err != nil || v.Answer != "until" {
				t.Fatalf("--json: %v, %+v:\n%s", err, v, out)
			}
			assertNoControls(t, "--json", out)
		})
	}
}

// assertNoControls: nothing but line breaks and tabs among the C0 and C1
// controls, and no bidi control.
func assertNoControls(t *testing.T, where, s string) {
	t.Helper()
	for _, r := range s {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			t.Fatalf("%s carries %U:\n%q", where, r, s)
		}
	}
}
