package scan

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/apppass/apppass/diagnose"
)

var asOf = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func sampleResult() Result {
	return Result{From: asOf.AddDate(0, 0, -7), To: asOf, LegacySignIns: 5, Rows: []Row{
		{UPN: "ok@contoso.com", Service: diagnose.ServiceSMTP, Protocols: []string{"Authenticated SMTP"}, Answer: diagnose.AnswerYes, SignIns: 1, LastLegacy: asOf.Add(-time.Hour), Failures: map[int]int{}},
		{UPN: "scanner@contoso.com", Service: diagnose.ServiceSMTP, Protocols: []string{"Authenticated SMTP"}, Answer: diagnose.AnswerUntil, HelpsUntil: "2026-12-31",
			SignIns: 2, LastLegacy: asOf.Add(-2 * time.Hour), Failures: map[int]int{50076: 2}, PerUserMFA: "enforced", Methods: []string{"password", "phone"}},
		{UPN: "mail|box@contoso.com", Service: diagnose.ServiceExchange, Protocols: []string{"IMAP4", "POP3"}, Answer: diagnose.AnswerNo, Why: "Basic auth is off",
			SignIns: 1, LastLegacy: asOf.Add(-3 * time.Hour), Failures: map[int]int{50126: 1}},
		{UPN: "who@contoso.com", Service: diagnose.ServiceSMTP, Protocols: []string{"Authenticated SMTP"}, Answer: diagnose.AnswerUnknown, Why: "apppass could not check Per-user MFA state",
			SignIns: 1, LastLegacy: asOf.Add(-4 * time.Hour), Failures: map[int]int{}},
	}}
}

// Rows come most urgent first: by fate in the headline's order (failing
// now before works now and breaks at the default-off, however recent the
// working one), then the most failures, then the most recent sign-in.
func TestUrgencyOrder(t *testing.T) {
	at := func(h int) time.Time { return asOf.Add(-time.Duration(h) * time.Hour) }
	rows := []Row{
		{UPN: "breaks-new", Fate: FateBreaks, LastLegacy: at(1), Failures: map[int]int{}},
		{UPN: "after", Fate: FateWorksAfter, LastLegacy: at(1), Failures: map[int]int{}},
		{UPN: "cannot", Fate: FateCannotTell, LastLegacy: at(1), Failures: map[int]int{}},
		{UPN: "failing-few-new", Fate: FateFailing, LastLegacy: at(2), Failures: map[int]int{50126: 1}},
		{UPN: "breaks-old", Fate: FateBreaks, LastLegacy: at(9), Failures: map[int]int{}},
		{UPN: "failing-many", Fate: FateFailing, LastLegacy: at(8), Failures: map[int]int{50076: 2, 50126: 3}},
		{UPN: "failing-few-old", Fate: FateFailing, LastLegacy: at(7), Failures: map[int]int{50076: 1}},
	}
	sortByUrgency(rows)
	var got []string
	for _, row := range rows {
		got = append(got, row.UPN)
	}
	want := "failing-many failing-few-new failing-few-old breaks-new breaks-old after cannot"
	if strings.Join(got, " ") != want {
		t.Fatalf("order %v, want %s", got, want)
	}
	if r := sampleResult(); r.Unknown() != 1 {
		t.Fatalf("unknown %d", r.Unknown())
	}
}

// The CSV has the documented columns in order and one row per account; the
// JSON and Markdown carry every account; a | in a value cannot break the table.
func TestExports(t *testing.T) {
	r := sampleResult()
	data, err := r.CSV()
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(records) != 1+len(r.Rows) || strings.Join(records[0], ",") != strings.Join(CSVColumns, ",") {
		t.Fatalf("CSV: %v\n%s", err, data)
	}
	scanner := records[2]
	if scanner[0] != "scanner@contoso.com" || scanner[7] != "50076:2" || scanner[8] != "enforced" || scanner[9] != "password;phone" || scanner[10] != "until" || scanner[11] != "2026-12-31" {
		t.Fatalf("CSV row %v", scanner)
	}
	if records[1][8] != "could not check" || records[1][9] != "could not check" {
		t.Fatalf("an unread MFA state or method list must say so: %v", records[1])
	}
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Accounts, Unknown int
		Rows              []map[string]any `json:"accountsByUrgency"`
	}
	if err := json.Unmarshal(js, &doc); err != nil || doc.Accounts != 4 || doc.Unknown != 1 || len(doc.Rows) != 4 || doc.Rows[1]["failuresByCode"].(map[string]any)["50076"] != 2.0 {
		t.Fatalf("JSON: %v\n%s", err, js)
	}
	md := r.Markdown()
	if !strings.Contains(md, "mail\\|box@contoso.com") || strings.Count(md, "\n| ") != 1+len(r.Rows) {
		t.Fatalf("Markdown:\n%s", md)
	}
}

// What the default-off does depends on the protocol and the verdict.
func TestAtDefaultOff(t *testing.T) {
	cases := []struct {
		row  Row
		now  time.Time
		want string
	}{
		{Row{Protocols: []string{"Authenticated SMTP"}, Answer: diagnose.AnswerUntil}, asOf, "breaks after 31 December 2026 (in 40 days)"},
		{Row{Protocols: []string{"Authenticated SMTP"}, Answer: diagnose.AnswerUntil, Fate: FateFailing}, asOf, "failing now; an app password would carry it only until 31 December 2026 (in 40 days)"},
		// Its SMTP sign-ins work: whatever an app password could do, it is not "refused already".
		{Row{Protocols: []string{"Authenticated SMTP"}, Answer: diagnose.AnswerNo, Why: "nothing requires an app password", Fate: FateBreaks}, asOf, "works now; breaks after 31 December 2026 (in 40 days)"},
		{Row{Protocols: []string{"IMAP4"}, Service: diagnose.ServiceExchange, Answer: diagnose.AnswerNo, Fate: FateWorksAfter}, asOf, "not affected by the SMTP change"},
		{Row{Protocols: []string{"Authenticated SMTP"}, Answer: diagnose.AnswerUntil}, asOf.AddDate(0, 2, 0), "works only where an admin has turned SMTP AUTH Basic back on"},
		{Row{Protocols: []string{"IMAP4"}, Service: diagnose.ServiceExchange, Answer: diagnose.AnswerNo}, asOf, "already refused: Basic auth for mailbox protocols"},
		{Row{Protocols: []string{"Authenticated SMTP"}, Answer: diagnose.AnswerNo, Why: "security defaults block legacy authentication"}, asOf, "already refused: security defaults"},
		{Row{Protocols: []string{"Authenticated SMTP"}, Answer: diagnose.AnswerUnknown, Why: "x"}, asOf, "unknown: x"},
	}
	for _, tc := range cases {
		if got := atDefaultOff(tc.row, tc.now); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%v %s: %q, want %q", tc.row.Protocols, tc.row.Answer, got, tc.want)
		}
	}
}
