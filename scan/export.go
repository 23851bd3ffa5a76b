package scan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apppass/apppass/diagnose"
)

// CSVColumns are the CSV export's columns, in order (docs/scan.md). They
// are a contract: add new ones at the end, never rename or reorder.
var CSVColumns = []string{"upn", "display_name", "service", "protocols", "apps", "legacy_sign_ins",
	"last_legacy_sign_in", "failures_by_code", "per_user_mfa", "methods", "app_password_can_help",
	"helps_until", "why", "at_default_off"}

// CSV is one row per account, the columns of CSVColumns.
func (r Result) CSV() ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(CSVColumns)
	for _, row := range r.Rows {
		cells := []string{row.UPN, row.DisplayName, string(row.Service), strings.Join(row.Protocols, ";"),
			strings.Join(row.Apps, ";"), strconv.Itoa(row.SignIns), stamp(row.LastLegacy), failureList(row.Failures),
			orUnread(row.PerUserMFA), methodList(row.Methods), string(row.Answer), row.HelpsUntil, row.Why, row.AtDefaultOff}
		for i := range cells {
			cells[i] = csvCell(cells[i])
		}
		w.Write(cells)
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// JSON is the scan as a document (the contract in docs/scan.md).
func (r Result) JSON() ([]byte, error) {
	type out struct {
		From          time.Time `json:"from"`
		To            time.Time `json:"to"`
		LegacySignIns int       `json:"legacySignIns"`
		Accounts      int       `json:"accounts"`
		Unknown       int       `json:"unknown"`
		Rows          []Row     `json:"accountsByUrgency"`
	}
	rows := r.Rows
	if rows == nil {
		rows = []Row{}
	}
	return json.MarshalIndent(out{From: r.From, To: r.To, LegacySignIns: r.LegacySignIns, Accounts: len(r.Rows), Unknown: r.Unknown(), Rows: rows}, "", "  ")
}

// Markdown is the scan for a ticket: a summary, then one table row per account.
func (r Result) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# apppass scan: legacy sign-ins from %s to %s\n\n", stamp(r.From), stamp(r.To))
	fmt.Fprintf(&b, "%s\n\n", r.Summary())
	b.WriteString("| Account | Protocols | Last legacy sign-in | Failures | Per-user MFA | App password? | At the SMTP AUTH default-off |\n|---|---|---|---|---|---|---|\n")
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", md(row.UPN), md(strings.Join(row.Protocols, ", ")), stamp(row.LastLegacy),
			md(failureList(row.Failures)), md(orUnread(row.PerUserMFA)), md(answerText(row)), md(row.AtDefaultOff))
	}
	return b.String()
}

// Summary counts the accounts by what happens to them.
func (r Result) Summary() string {
	counts := map[int]int{}
	for _, row := range r.Rows {
		counts[urgency(row)]++
	}
	return fmt.Sprintf("%d accounts signed in with a password over a legacy protocol (%d sign-ins): %d break after 31 December 2026 unless SMTP AUTH Basic is turned back on, %d could not be judged, %d are refused already, %d are otherwise.",
		len(r.Rows), r.LegacySignIns, counts[0], counts[1], counts[2], counts[3])
}

func answerText(row Row) string {
	if row.Answer == "until" {
		return "until " + row.HelpsUntil
	}
	if row.Why != "" {
		return string(row.Answer) + ": " + row.Why
	}
	return string(row.Answer)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

func failureList(f map[int]int) string {
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(f)) {
		parts = append(parts, fmt.Sprintf("%d:%d", code, f[code]))
	}
	return strings.Join(parts, ";")
}

func methodList(m []string) string {
	if m == nil {
		return "could not check"
	}
	return strings.Join(m, ";")
}

func orUnread(s string) string {
	if s == "" {
		return "could not check"
	}
	return s
}

// md is s as literal Markdown text in a table cell.
func md(s string) string { return diagnose.MarkdownText(s) }

// csvCell keeps a spreadsheet from reading a cell as a formula, as OWASP's
// "CSV Injection" page advises: a cell starting with = + - @, a tab or a
// carriage return gets a leading single quote. Line breaks, which csv
// quotes but some readers split on, become spaces.
func csvCell(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Text is the scan as plain lines, for a terminal without the table.
func (r Result) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Legacy sign-ins from %s to %s\n%s\n\n", stamp(r.From), stamp(r.To), r.Summary())
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "%s  %s\n  protocols: %s · last: %s · failures: %s · per-user MFA: %s\n  app password: %s\n  at the default-off: %s\n",
			textAnswer(row), row.UPN, strings.Join(row.Protocols, ", "), stamp(row.LastLegacy), orNone(failureList(row.Failures)),
			orUnread(row.PerUserMFA), answerText(row), row.AtDefaultOff)
	}
	return b.String()
}

// textAnswer is the verdict's mark for a plain line.
func textAnswer(row Row) string {
	return map[int]string{0: "[until]", 1: "[??]   ", 2: "[no]   ", 3: "[ok]   "}[urgency(row)]
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
