package wizard

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/simcloud"
)

// hostileNames ends the tenant's and every user's name in an unterminated
// sequence (issue 22, case 1), which used to blank the frame below it.
func hostileNames(sc *simcloud.Scenario) {
	sc.Tenant.DisplayName = "Contoso\x1b]52;c;"
	for i := range sc.Users {
		sc.Users[i].DisplayName = "Megan\u009d"
	}
	for i := range sc.Policies {
		sc.Policies[i].DisplayName += "\x1bP"
	}
}

// The full-screen frame keeps every line after a hostile name.
func TestUnterminatedNameDoesNotBlankTheFrame(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), mutate: hostileNames}
	h := newHarnessWith(t, l, "ca-blocks-legacy")
	h.toDiagnosis()
	frame := h.m.View().Content
	if !strings.Contains(h.frame(), "Can an app password fix this?") {
		t.Fatalf("the diagnosis is cut:\n%s", h.frame())
	}
	for !h.m.body.AtBottom() { // the findings come before the plan
		h.press("pgdown")
	}
	if !strings.Contains(h.frame(), "Plan") {
		t.Fatalf("the diagnosis is cut:\n%s", h.frame())
	}
	for _, r := range frame {
		if r == 0x9d || r == 0x07 || unicode.Is(unicode.Bidi_Control, r) {
			t.Fatalf("the frame carries %U", r)
		}
	}
}

// --accessible: the diagnosis is printed whole before the first question.
func TestPlainDiagnosisIsNotCut(t *testing.T) {
	l := &testLauncher{t: t, dir: t.TempDir(), mutate: hostileNames}
	ctx := testkit.Context(t)
	var out bytes.Buffer
	RunPlain(ctx, l, "classic", &scripted{answers: []string{"y", "", "", "", ""}}, &out)
	text := out.String()
	verdict := strings.Index(text, "Can an app password fix this?")
	ask := strings.Index(text, "Enforce")
	if verdict < 0 || (ask >= 0 && ask < verdict) {
		t.Fatalf("the diagnosis was cut before the verdict:\n%s", text)
	}
	for _, r := range text {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			t.Fatalf("the plain output carries %U:\n%q", r, text)
		}
	}
}
