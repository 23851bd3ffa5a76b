package evidence

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/termsafe"
)

// hostileEvidence is evidence of a plausible tenant with bad appended to
// every string in it, however deep.
func hostileEvidence(bad string) diagnose.Evidence {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	ev := diagnose.Evidence{Now: now, Service: diagnose.ServiceSMTP, UPN: "backup@contoso.com", Caller: "it@contoso.com",
		PastedError: "535 5.7.139 Authentication unsuccessful",
		RolesRead:   diagnose.OK(1), CallerRoles: []string{"62e90394-69f5-4237-9190-012177145e10"},
		Account:    diagnose.OK(diagnose.Account{ID: "a1", UPN: "backup@contoso.com", DisplayName: "Backup", Enabled: true}),
		PerUserMFA: diagnose.OK("enforced"), Methods: diagnose.OK([]string{"password", "phone"}),
		SecurityDefaults: diagnose.OK(false),
		Policies: diagnose.OK([]diagnose.CAPolicy{{ID: "p1", Name: "Block legacy", State: "enabled", ClientAppTypes: []string{"exchangeActiveSync", "other"},
			IncludeApplications: []string{"All"}, IncludeUsers: []string{"All"}, GrantControls: []string{"block"}}}),
		NamedLocations: diagnose.OK([]diagnose.NamedLocation{{ID: "l1", Name: "Office"}}),
		Membership:     diagnose.OK(diagnose.Membership{GroupIDs: []string{"g1"}}),
		SignIns: diagnose.OK([]diagnose.SignIn{{Time: now.Add(-time.Hour), ClientAppUsed: "Authenticated SMTP", AppName: "Scanner", ErrorCode: 53003,
			Applied: []diagnose.AppliedPolicy{{ID: "p1", Name: "Block legacy", Result: "failure"}}}}),
		SharePointLegacy:    diagnose.Item[bool]{Status: diagnose.StatusFailed, Err: "Graph said no"},
		AppPasswordsSetting: diagnose.Item[bool]{Status: diagnose.StatusNoAPI},
		PasswordCheck:       diagnose.Item[int]{Status: diagnose.StatusNotRun},
		SMTPTest:            diagnose.OK("535 5.7.139 Authentication unsuccessful"),
		SMTPOAuthTest:       diagnose.Item[string]{Status: diagnose.StatusNotRun},
	}
	appendTo(reflect.ValueOf(&ev).Elem(), bad)
	return ev
}

func appendTo(v reflect.Value, bad string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(v.String() + bad)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				appendTo(v.Field(i), bad)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			appendTo(v.Index(i), bad)
		}
	}
}

// FuzzReportRenderers, for each of diagnose's renderers: any text in any
// field of the evidence leaves the verdict line in the text, the Markdown
// and the note for an admin, and JSON that parses. Evidence cleaned where
// it enters (termsafe.CleanAll, as graphclient and Gather do) leaves no
// C0, C1 or bidi control in any of them; raw evidence leaves none after
// the output edge's termsafe.Text, and cuts nothing there either.
func FuzzReportRenderers(f *testing.F) {
	for _, s := range []string{"\x1b]", "\x1bP", "\x1b_", "\u009d", "\u0098", "\x1b\n", "\u202e", "\n## Verdict\n**Yes**", "=1", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, bad string) {
		raw := hostileEvidence(bad)
		cleaned := hostileEvidence(bad) // its own copy: CleanAll works in place
		termsafe.CleanAll(&cleaned)
		for _, c := range []struct {
			name string
			ev   diagnose.Evidence
			edge func(string) string
		}{{"cleaned at entry", cleaned, func(s string) string { return s }}, {"raw, cleaned at the edge", raw, termsafe.Text}} {
			r := diagnose.Diagnose(c.ev)
			js, err := r.JSON()
			if err != nil || !json.Valid([]byte(c.edge(string(js)))) {
				t.Fatalf("%s: JSON: %v", c.name, err)
			}
			docs := map[string]string{"text": c.edge(r.Text()), "markdown": c.edge(r.Markdown()), "note": c.edge(r.AdminNote()), "json": c.edge(string(js))}
			for name, doc := range docs {
				if name != "json" && !strings.Contains(doc, "Can an app password fix this?") {
					t.Fatalf("%s: the %s has no verdict line:\n%s", c.name, name, doc)
				}
				for _, ch := range doc {
					if ch != '\n' && ch != '\t' && (unicode.IsControl(ch) || unicode.Is(unicode.Bidi_Control, ch)) {
						t.Fatalf("%s: the %s carries %U", c.name, name, ch)
					}
				}
			}
		}
	})
}
