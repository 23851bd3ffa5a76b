package diagnose

import (
	"strings"
	"testing"
)

// Issue 22, case 4: a policy name wrote a heading "Can an app password fix
// this? **Yes**" with a link above the real "No". Names are now literal text.
func TestMarkdownCannotBeForged(t *testing.T) {
	const forged = "Block legacy\n\n## Verdict\n\n**Can an app password fix this?** **Yes** [click](https://evil.example/x) <b>hi</b> | x | `y` _z_ www.evil.example"
	ev := failures(base(), 53003)
	ev.Policies = OK([]CAPolicy{{ID: "p1", Name: forged, State: "enabled", ClientAppTypes: []string{"exchangeActiveSync", "other"},
		IncludeApplications: []string{"All"}, IncludeUsers: []string{"All"}, GrantControls: []string{"block"}}})
	ev.Account.Value.DisplayName = forged
	r := Diagnose(ev)
	r.UPN = forged // as if the account's own name were hostile
	md := r.Markdown()
	if !strings.Contains(md, "Block legacy") {
		t.Fatalf("the policy is not named in the report:\n%s", md)
	}
	for _, bad := range []string{"**Yes**", "[click](", "<b>", "`y`", "_z_", "www.evil", "https://evil"} {
		if strings.Contains(md, bad) {
			t.Errorf("the Markdown carries %q unescaped:\n%s", bad, md)
		}
	}
	if n := strings.Count(md, "**Can an app password fix this?**"); n != 1 {
		t.Errorf("%d verdict lines, want 1:\n%s", n, md)
	}
	headings := map[string]bool{"## Verdict": true, "## Checks": true, "## Findings": true, "## Plan": true, "## The way forward": true, "## What this run did": true}
	for i, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "#") && i > 0 && !headings[line] {
			t.Errorf("a heading apppass did not write: %q", line)
		}
	}
}

// Issue 22, case 6: the rest of a pasted SMTP line (which may hold a
// secret) was echoed into every report; only its codes are kept now.
func TestPastedTextIsNeverReported(t *testing.T) {
	const canary = "Hunter2-Canary-5531"
	for _, pasted := range []string{
		"535 5.7.999 unknown reply; my password is " + canary,
		"Error: 535 5.7.3 Authentication unsuccessful " + canary + "\nmore " + canary,
		"421 4.7.0 " + canary,
	} {
		ev := base()
		ev.PastedError = pasted
		r := Diagnose(ev)
		js, err := r.JSON()
		if err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string]string{"json": string(js), "markdown": r.Markdown(), "text": r.Text(), "note": r.AdminNote()} {
			if strings.Contains(out, canary) {
				t.Errorf("%q: the %s report echoes the pasted text", pasted, name)
			}
		}
	}
}
