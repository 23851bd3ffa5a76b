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
	"helps_until", "why", "at_default_off", "last_client_app", "last_ip_address", "last_location", "fate", "change", "smtp_auth"}

// CSV is one row per account, the columns of CSVColumns.
func (r Result) CSV() ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(CSVColumns)
	for _, row := range r.Rows {
		cells := []string{row.UPN, row.DisplayName, string(row.Service), strings.Join(row.Protocols, ";"),
			strings.Join(row.Apps, ";"), strconv.Itoa(row.SignIns), stamp(row.LastLegacy), failureList(row.Failures),
			orUnread(row.PerUserMFA), methodList(row.Methods), string(row.Answer), row.HelpsUntil, row.Why, row.AtDefaultOff,
			row.LastClientApp, row.LastIPAddress, row.LastLocation, string(row.Fate), string(row.Change), row.SMTPAuth}
		writeCSVRow(w, cells)
	}
	if r.Comparison != nil {
		// The accounts that went silent: what the earlier scan knew of them.
		for _, p := range r.Comparison.Silent {
			writeCSVRow(w, []string{p.UPN, p.DisplayName, "", "", "", "0", stamp(p.LastLegacy), "", "", "", "", "", "", "",
				"", "", "", string(p.Fate), string(ChangeSilent), ""})
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// writeCSVRow writes one row with every cell neutralised for spreadsheets.
func writeCSVRow(w *csv.Writer, cells []string) {
	for i := range cells {
		cells[i] = csvCell(cells[i])
	}
	w.Write(cells)
}

// JSON is the scan as a document (the contract in docs/scan.md).
func (r Result) JSON() ([]byte, error) {
	type out struct {
		From          time.Time    `json:"from"`
		To            time.Time    `json:"to"`
		LegacySignIns int          `json:"legacySignIns"`
		Accounts      int          `json:"accounts"`
		Unknown       int          `json:"unknown"`
		Rows          []Row        `json:"accountsByUrgency"`
		Source        Source       `json:"source"`
		Fates         map[Fate]int `json:"fates"`
		LogGaps       []LogGap     `json:"logGaps"`
		Cancelled     bool         `json:"cancelled"`
		Requests      int          `json:"graphRequests"`
		WaitedSeconds float64      `json:"waitedForLimitsSeconds"`
		Comparison    *Comparison  `json:"comparison,omitempty"`
	}
	rows := r.Rows
	if rows == nil {
		rows = []Row{}
	}
	fates := map[Fate]int{}
	for _, f := range Fates {
		fates[f] = 0
	}
	for _, row := range rows {
		fates[row.Fate]++
	}
	gaps := r.LogGaps
	if gaps == nil {
		gaps = []LogGap{}
	}
	return json.MarshalIndent(out{From: r.From, To: r.To, LegacySignIns: r.LegacySignIns, Accounts: len(r.Rows), Unknown: r.Unknown(), Rows: rows,
		Source: r.Source, Fates: fates, LogGaps: gaps, Cancelled: r.Cancelled, Requests: r.Requests, WaitedSeconds: r.Waited.Seconds(), Comparison: r.Comparison}, "", "  ")
}

// Markdown is the scan for a ticket: a summary, then one table row per account.
func (r Result) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# apppass scan: legacy sign-ins from %s to %s\n\n", stamp(r.From), stamp(r.To))
	fmt.Fprintf(&b, "%s\n\n", md(r.Summary()))
	b.WriteString("| Account | Protocols | Last legacy sign-in | From | Failures | Per-user MFA | SMTP AUTH switch | Now | App password? | At the SMTP AUTH default-off |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", md(row.UPN), md(strings.Join(row.Protocols, ", ")), stamp(row.LastLegacy),
			md(where(row)), md(failureList(row.Failures)), md(orUnread(row.PerUserMFA)), md(orNotRead(row.SMTPAuth)), md(fateText(row)), md(answerText(row)), md(row.AtDefaultOff))
	}
	if r.Comparison != nil && len(r.Comparison.Silent) > 0 {
		b.WriteString("\n## Went silent since the earlier scan\n\n")
		for _, p := range r.Comparison.Silent {
			fmt.Fprintf(&b, "- %s (last legacy sign-in %s, then %s)\n", md(p.UPN), stamp(p.LastLegacy), md(string(p.Fate)))
		}
	}
	return b.String()
}

// Summary is the headline, counted from the same rows the table shows:
// what each account's own legacy sign-ins do now and at the default-off,
// how many verdicts are unknown and why, and what the scan could not read.
func (r Result) Summary() string {
	fates := map[Fate]int{}
	for _, row := range r.Rows {
		fates[row.Fate]++
	}
	var b strings.Builder
	if r.Source == SourceUsageReport {
		fmt.Fprintf(&b, "Without Entra ID P1 the sign-in log cannot be read; from Microsoft 365's email apps usage report (%s, a day or two behind), %d accounts used SMTP, POP3 or IMAP4. "+
			"The report says neither whether they send a password or use OAuth nor whether it worked, and an app whose every sign-in fails may not show in it at all, so each account's fate is \"cannot tell\" and a verdict that needs the log is unknown. "+
			"The Exchange admin center's Reports → Mail flow → SMTP AUTH clients report shows Basic or OAuth per sender.", usagePeriodText(r.UsagePeriod), len(r.Rows))
		if n := r.Unknown(); n > 0 {
			fmt.Fprintf(&b, " apppass could not judge %d: %s.", n, unknownReasons(r.Rows))
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%d accounts signed in with a password over a legacy protocol (%d sign-ins): %d failing now, %d work now and break after 31 December 2026 unless SMTP AUTH Basic is turned back on, %d work after the default-off, %d whose sign-ins cannot tell.",
		len(r.Rows), r.LegacySignIns, fates[FateFailing], fates[FateBreaks], fates[FateWorksAfter], fates[FateCannotTell])
	if n := r.Unknown(); n > 0 {
		// Fates are what the sign-ins do; a verdict also needs the account's
		// reads, so an account can have a fate and an unknown verdict.
		fmt.Fprintf(&b, " Whether an app password can help is unknown for %d of them: %s.", n, unknownReasons(r.Rows))
	}
	for _, gap := range r.LogGaps {
		fmt.Fprintf(&b, " The sign-in log's %s rows could not be read (%s): accounts that use only %s are missing, and no account's sign-ins count as read; scan again later.",
			gap.ClientApp, gap.Error, gap.ClientApp)
	}
	if r.Cancelled {
		b.WriteString(" The scan was stopped before the end: these are the accounts judged so far.")
	}
	b.WriteString(r.comparisonText())
	return b.String()
}

func usagePeriodText(p string) string {
	if p == "D7" {
		return "the last 7 days"
	}
	return "the last 30 days"
}

// unknownReasons are the commonest reasons among unknown verdicts, with counts.
func unknownReasons(rows []Row) string {
	counts := map[string]int{}
	for _, row := range rows {
		if row.Answer == diagnose.AnswerUnknown {
			why := row.Why
			if why == "" {
				why = "of a reason diagnose did not name"
			}
			counts[why]++
		}
	}
	reasons := slices.SortedFunc(maps.Keys(counts), func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	var parts []string
	for i, why := range reasons {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("%d for other reasons", sumOf(counts, reasons[3:])))
			break
		}
		parts = append(parts, fmt.Sprintf("%d because %s", counts[why], why))
	}
	return strings.Join(parts, "; ")
}

func sumOf(counts map[string]int, keys []string) int {
	n := 0
	for _, k := range keys {
		n += counts[k]
	}
	return n
}

// fateText is the row's fate and, after --compare, its change.
func fateText(row Row) string {
	if row.Change != "" {
		return string(row.Fate) + " (" + string(row.Change) + ")"
	}
	return string(row.Fate)
}

// where is the newest legacy sign-in's client app, address and place.
func where(row Row) string {
	var parts []string
	for _, p := range []string{row.LastClientApp, row.LastIPAddress, row.LastLocation} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
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
		fmt.Fprintf(&b, "%s  %s\n  protocols: %s · last: %s · failures: %s · per-user MFA: %s\n  last from: %s\n",
			textAnswer(row), row.UPN, strings.Join(row.Protocols, ", "), stamp(row.LastLegacy), orNone(failureList(row.Failures)),
			orUnread(row.PerUserMFA), orNone(where(row)))
		if row.SMTPAuth != "" {
			fmt.Fprintf(&b, "  SMTP AUTH switch: %s\n", row.SMTPAuth)
		}
		fmt.Fprintf(&b, "  now: %s\n  app password: %s\n  at the default-off: %s\n", fateText(row), answerText(row), row.AtDefaultOff)
	}
	if r.Comparison != nil && len(r.Comparison.Silent) > 0 {
		b.WriteString("\nWent silent since the earlier scan:\n")
		for _, p := range r.Comparison.Silent {
			fmt.Fprintf(&b, "  %s  last legacy sign-in %s, then %s\n", p.UPN, stamp(p.LastLegacy), p.Fate)
		}
	}
	return b.String()
}

// textAnswer is the verdict's mark for a plain line.
func textAnswer(row Row) string {
	return map[diagnose.Answer]string{diagnose.AnswerUntil: "[until]", diagnose.AnswerUnknown: "[??]   ", diagnose.AnswerNo: "[no]   ", diagnose.AnswerYes: "[ok]   "}[row.Answer]
}

// orNotRead is the SMTP AUTH switch's cell: "not read" for an account
// whose switch was not asked (not an SMTP sender).
func orNotRead(s string) string {
	if s == "" {
		return "not read"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
