package scan

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/apppass/apppass/termsafe"
)

// Issue 22, case 2: cells began with =HYPERLINK(, @, +, - or a tab, which
// a spreadsheet runs as a formula. Each now starts with a quote (OWASP).
func TestCSVNeutralisesFormulas(t *testing.T) {
	r := sampleResult()
	hostile := []string{`=HYPERLINK("https://evil.example","x")`, "@SUM(1+1)", "+1+1", "-2+3", "\t=1", "\r=1"}
	r.Rows[0].DisplayName = hostile[0]
	r.Rows[0].Apps = []string{hostile[1]}
	r.Rows[1].DisplayName = hostile[2]
	r.Rows[1].Why = hostile[3]
	r.Rows[2].DisplayName = hostile[4]
	r.Rows[3].DisplayName = hostile[5]
	data, err := r.CSV()
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(records) != 1+len(r.Rows) {
		t.Fatalf("CSV: %v\n%s", err, data)
	}
	for _, rec := range records[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("a cell a spreadsheet would run: %q", cell)
			}
		}
	}
	if records[1][1] != `'=HYPERLINK("https://evil.example","x")` {
		t.Errorf("the neutralised cell reads %q", records[1][1])
	}
}

// FuzzScanExports: any text in any field of any row leaves one CSV row per
// account, JSON that parses, one Markdown table row per account; and rows
// cleaned where their text entered (termsafe.CleanAll, as graphclient does)
// leave no control or bidi character in any format.
func FuzzScanExports(f *testing.F) {
	for _, s := range []string{"\x1b]52;c;ZXZpbA==", "a\nb|c", "=cmd|' /C calc'!A0", "\u009d", "\u202e", "\"", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, bad string) {
		r := sampleResult()
		for i := range r.Rows {
			row := &r.Rows[i]
			row.UPN, row.DisplayName, row.Why, row.PerUserMFA, row.AtDefaultOff = bad+row.UPN, bad, bad, bad, bad
			row.Protocols = append(row.Protocols, bad)
			row.Apps = []string{bad, bad}
			row.Methods = []string{bad}
			row.Cause = bad
		}
		check := func(r Result, clean bool) {
			data, err := r.CSV()
			if err != nil {
				t.Fatal(err)
			}
			records, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
			if err != nil || len(records) != 1+len(r.Rows) {
				t.Fatalf("CSV: %v, %d records for %d accounts", err, len(records), len(r.Rows))
			}
			js, err := r.JSON()
			if err != nil || !json.Valid(js) {
				t.Fatalf("JSON: %v", err)
			}
			md := r.Markdown()
			if n := strings.Count(md, "\n|"); n != 2+len(r.Rows) {
				t.Fatalf("Markdown: %d table lines for %d accounts:\n%s", n, len(r.Rows), md)
			}
			if !clean {
				return
			}
			for name, out := range map[string]string{"CSV": string(data), "JSON": string(js), "Markdown": md, "text": r.Text()} {
				for _, c := range out {
					if c != '\n' && c != '\t' && (unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c)) {
						t.Fatalf("%s carries %U", name, c)
					}
				}
			}
		}
		check(r, false)
		for i := range r.Rows {
			termsafe.CleanAll(&r.Rows[i])
		}
		check(r, true)
	})
}
