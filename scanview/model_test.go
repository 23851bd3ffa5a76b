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

// The table is a home: at 80×24 every key of the footer shows, ending in
// "q quit"; ? shows every key with its meaning; the selection carries a
// mark that needs no colour; the evidence view scrolls with the keys still
// below it; back from the wizard, the filters and the selection are kept
// and the scan is not run again.
func TestTableIsAHome(t *testing.T) {
	m := New(Options{NoColor: true})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(doneMsg{res: result()})
	f := frame(m)
	lines := strings.Split(f, "\n")
	if footer := lines[len(lines)-1]; !strings.HasSuffix(strings.TrimSpace(footer), "q quit") || !strings.Contains(footer, "? keys") {
		t.Fatalf("the footer at 80 columns: %q", footer)
	}
	if !strings.Contains(f, "› until  scanner@contoso.com") {
		t.Fatalf("the selection is marked without colour:\n%s", f)
	}
	press(m, "?")
	if f := frame(m); !strings.Contains(f, "walk this account's fix in the wizard, then come back") || strings.Count(f, "\n")+1 > 24 {
		t.Fatalf("? shows every key and still fits:\n%s", f)
	}
	press(m, "?")
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	if f := frame(m); !strings.Contains(f, "› ?      who@contoso.com") || strings.Contains(f, "› until") {
		t.Fatalf("the mark follows the selection:\n%s", f)
	}
	// The evidence view, on a short terminal: it scrolls, the keys stay.
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 12})
	press(m, "i")
	top := frame(m)
	if !strings.Contains(top, "more lines") || !strings.Contains(top, "esc back") || strings.Count(top, "\n")+1 > 12 {
		t.Fatalf("evidence on a short terminal:\n%s", top)
	}
	for range 40 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	if bottom := frame(m); bottom == top || !strings.Contains(bottom, "more above") || !strings.Contains(bottom, "enter walks the fix") {
		t.Fatalf("scrolled to the end:\n%s", bottom)
	}
	press(m, "enter")
	if m.Chosen() == nil || m.Chosen().UPN != "who@contoso.com" {
		t.Fatalf("enter in the evidence view picks the account: %v", m.Chosen())
	}
	m.Resume("Back from the wizard for who@contoso.com.")
	if m.Init() != nil {
		t.Fatal("back from the wizard, the scan ran again")
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if f := frame(m); !strings.Contains(f, "› ?      who@contoso.com") || !strings.Contains(f, "Back from the wizard") {
		t.Fatalf("back from the wizard the selection is where it was:\n%s", f)
	}
}
