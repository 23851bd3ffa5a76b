package scanview

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/scan"
)

var asOf = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func result() scan.Result {
	row := func(upn string, a diagnose.Answer, protocol string, hours int) scan.Row {
		return scan.Row{UPN: upn, Service: diagnose.ServiceSMTP, Protocols: []string{protocol}, Answer: a, SignIns: 3,
			LastLegacy: asOf.Add(-time.Duration(hours) * time.Hour), Failures: map[int]int{50076: 1}, PerUserMFA: "enforced",
			Cause: "cause of " + upn, AtDefaultOff: "fate of " + upn, Fate: scan.FateFailing, LastIPAddress: "198.51.100.7",
			LastClientApp: protocol, LastLocation: "Leeds, GB"}
	}
	return scan.Result{From: asOf.AddDate(0, 0, -7), To: asOf, LegacySignIns: 12, Rows: []scan.Row{
		row("scanner@contoso.com", diagnose.AnswerUntil, "Authenticated SMTP", 1),
		row("who@contoso.com", diagnose.AnswerUnknown, "Authenticated SMTP", 2),
		row("imap@contoso.com", diagnose.AnswerNo, "IMAP4", 3),
		row("fine@contoso.com", diagnose.AnswerYes, "Authenticated SMTP", 4),
	}}
}

func press(m *Model, k string) tea.Cmd {
	msg := tea.KeyPressMsg{Text: k, Code: rune(k[0])}
	switch k {
	case "enter":
		msg = tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		msg = tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		msg = tea.KeyPressMsg{Code: tea.KeyDown}
	}
	_, cmd := m.Update(msg)
	return cmd
}

func frame(m *Model) string { return ansi.Strip(m.render()) }

// The table's keys at both sizes: every row and the summary show, the
// filters narrow by verdict and protocol, i explains a row, enter picks it
// for the wizard, and every line fits the terminal.
func TestTableKeys(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := New(Options{NoColor: true, Banner: "DEMO · fleet"})
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m.Update(progressMsg{Pages: 3, Accounts: 4, Judged: 2, Requests: 40, Waited: 95 * time.Second, ETA: 4 * time.Second})
		if f := frame(m); !strings.Contains(f, "2 of 4 accounts judged · 40 requests") || !strings.Contains(f, "at least 4 s left") {
			t.Fatalf("%v: progress:\n%s", size, f)
		}
		m.Update(doneMsg{res: result()})
		f := frame(m)
		for _, want := range []string{"4 accounts signed in", "scanner@contoso.com", "imap@contoso.com", "Showing 4 of 4"} {
			if !strings.Contains(f, want) {
				t.Fatalf("%v: %q missing:\n%s", size, want, f)
			}
		}
		for i, line := range strings.Split(f, "\n") {
			if w := ansi.StringWidth(line); w > size[0] {
				t.Fatalf("%v: line %d is %d wide: %q", size, i, w, line)
			}
		}
		if lines := strings.Count(f, "\n") + 1; lines > size[1] {
			t.Fatalf("%v: %d lines", size, lines)
		}
		press(m, "v") // until
		if f := frame(m); !strings.Contains(f, "Showing 1 of 4 · verdict until") || strings.Contains(f, "imap@") {
			t.Fatalf("%v: verdict filter:\n%s", size, f)
		}
		press(m, "v") // unknown
		press(m, "v") // no
		press(m, "v") // yes
		press(m, "v") // every verdict
		press(m, "p") // the first protocol: Authenticated SMTP
		if f := frame(m); !strings.Contains(f, "Showing 3 of 4 · every verdict · Authenticated SMTP") {
			t.Fatalf("%v: protocol filter:\n%s", size, f)
		}
		press(m, "down")
		press(m, "i")
		if f := frame(m); !strings.Contains(f, "cause of who@contoso.com") || !strings.Contains(f, "fate of who@contoso.com") {
			t.Fatalf("%v: detail:\n%s", size, f)
		}
		if f := frame(m); strings.Count(f, "\n")+1 > size[1] || !strings.Contains(f, "q quit") && !strings.Contains(f, "…") {
			t.Fatalf("%v: the detail does not fit, or its keys went:\n%s", size, f)
		}
		press(m, "esc")
		if f := frame(m); !strings.Contains(f, "Showing 3 of 4") {
			t.Fatalf("%v: esc did not go back:\n%s", size, f)
		}
		if cmd := press(m, "enter"); cmd == nil || m.Chosen() == nil || m.Chosen().UPN != "who@contoso.com" {
			t.Fatalf("%v: enter did not pick the row for the wizard", size)
		}
	}
}

// Resizing keeps the rows, their cells following the columns.
func TestResize(t *testing.T) {
	m := New(Options{NoColor: true})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(doneMsg{res: result()})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if f := frame(m); !strings.Contains(f, "fine@contoso.com") || strings.Contains(f, "198.51.100.7") {
		t.Fatalf("after narrowing:\n%s", f)
	}
	m.Update(tea.WindowSizeMsg{Width: 130, Height: 40})
	if f := frame(m); !strings.Contains(f, "198.51.100.7") || !strings.Contains(f, "failing now") {
		t.Fatalf("after widening:\n%s", f)
	}
}

// A scan that fails says so and lists nobody.
func TestFailedScan(t *testing.T) {
	m := New(Options{NoColor: true})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(doneMsg{err: errTest("reading the sign-in log: licence")})
	if f := frame(m); !strings.Contains(f, "The scan could not finish") || !strings.Contains(f, "No account list is shown") {
		t.Fatalf("failure:\n%s", f)
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }
