package scanview

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/scan"
	"github.com/apppass/apppass/styles"
	"github.com/apppass/apppass/termsafe"
)

// keyMap are the screen's keys; it implements help.KeyMap.
type keyMap struct {
	Move, Page, Open, Wizard, Back, Verdict, Protocol, Export, Help, Quit key.Binding
}

// The short help fits 78 columns (an 80-column terminal less the margin);
// ? shows every key with its longer meaning.
var keys = keyMap{
	Move:     key.NewBinding(key.WithKeys("up", "k", "down", "j"), key.WithHelp("↑↓", "move")),
	Page:     key.NewBinding(key.WithKeys("pgup", "pgdown", "home", "end"), key.WithHelp("pgup/pgdn", "page")),
	Open:     key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "why")),
	Wizard:   key.NewBinding(key.WithKeys("enter", "w"), key.WithHelp("enter", "fix")),
	Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	Verdict:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "verdict")),
	Protocol: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "protocol")),
	Export:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
	Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
	Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
}

// ShortHelp implements help.KeyMap.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Move, k.Open, k.Wizard, k.Verdict, k.Protocol, k.Export, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap: every key, with what it does in full.
func (k keyMap) FullHelp() [][]key.Binding {
	long := func(b key.Binding, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
	}
	// One column: side by side they would not fit 80 columns.
	return [][]key.Binding{{long(k.Move, "move up and down"), long(k.Page, "a page, the top, the end"),
		long(k.Open, "why: what the verdict rests on"), long(k.Wizard, "walk this account's fix in the wizard, then come back"),
		long(k.Back, "back from the evidence"), long(k.Verdict, "filter by verdict"), long(k.Protocol, "filter by protocol"),
		long(k.Export, "export CSV, JSON and Markdown"), long(k.Help, "fewer keys"), long(k.Quit, "quit")}}
}

// detailKeys are the keys of the evidence view.
type detailKeys struct{}

// ShortHelp implements help.KeyMap.
func (detailKeys) ShortHelp() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "scroll")), keys.Wizard, keys.Back, keys.Quit}
}

// FullHelp implements help.KeyMap.
func (d detailKeys) FullHelp() [][]key.Binding { return [][]key.Binding{d.ShortHelp()} }

var _ help.KeyMap = keys

// wideTable is the width from which the default-off fate has a column;
// narrower, enter shows it.
const wideTable = 110

// columns share out the width: the account (and, when wide, the
// default-off fate) get what the fixed columns leave. Each cell is padded
// by one on each side.
func columns(width int) []table.Column {
	cols := []table.Column{{Title: "", Width: 7}, {Title: "Account"}, {Title: "Protocols", Width: 12}, {Title: "Last", Width: 11},
		{Title: "Fails", Width: 6}, {Title: "MFA", Width: 8}}
	if width >= wideTable {
		cols = append(cols, table.Column{Title: "From", Width: 15}, table.Column{Title: "Now"})
	}
	rest := width - 2 - 2*len(cols)
	for _, c := range cols {
		rest -= c.Width
	}
	rest = max(rest, 16)
	if width >= wideTable {
		cols[1].Width, cols[7].Width = rest*1/2, rest-rest*1/2
	} else {
		cols[1].Width = rest
	}
	return cols
}

// short names the protocols so the column stays narrow.
var short = map[string]string{"Authenticated SMTP": "SMTP", "Exchange ActiveSync": "EAS", "Exchange Web Services": "EWS",
	"Other clients": "Other", "Outlook Service": "Outlook", "Reporting Web Services": "Reporting", "MAPI Over HTTP": "MAPI",
	"Offline Address Book": "OAB", "Outlook Anywhere (RPC over HTTP)": "RPC", "Exchange Online PowerShell": "PowerShell"}

func protocolList(ps []string) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p
		if s, ok := short[p]; ok {
			names[i] = s
		}
	}
	return strings.Join(names, ",")
}

// mark is the verdict in a few letters.
func mark(a diagnose.Answer) string {
	switch a {
	case diagnose.AnswerUntil:
		return "until"
	case diagnose.AnswerUnknown:
		return "?"
	case diagnose.AnswerNo:
		return "no"
	}
	return "yes"
}

func cells(r scan.Row) table.Row {
	fails := 0
	for _, n := range r.Failures {
		fails += n
	}
	mfa := r.PerUserMFA
	if mfa == "" {
		mfa = "?"
	}
	now := string(r.Fate)
	if r.Change != "" {
		now = string(r.Change) + ": " + now
	}
	last := "?"
	if !r.LastLegacy.IsZero() {
		last = r.LastLegacy.UTC().Format("01-02 15:04")
	}
	return table.Row{mark(r.Answer), termsafe.Clean(r.UPN), protocolList(r.Protocols), last,
		fmt.Sprintf("%d/%d", fails, r.SignIns), mfa, termsafe.Clean(r.LastIPAddress), termsafe.Clean(now)}
}

func (m *Model) layout() {
	selected := m.selectedUPN()
	m.table.SetRows(nil) // rows of the old columns would not fit the new
	m.table.SetColumns(columns(m.width))
	if m.result != nil {
		m.refilter(selected) // the rows follow the columns
	}
	m.table.SetWidth(m.width - 2)
	helpLines := 1
	if m.help.ShowAll {
		helpLines = len(keys.FullHelp()[0])
	}
	m.table.SetHeight(max(m.height-7-helpLines, 3))
	m.help.SetWidth(m.width - 2)
}

// View implements tea.Model.
func (m *Model) View() tea.View {
	v := tea.NewView(termsafe.Frame(m.render()))
	v.AltScreen = true
	v.WindowTitle = "apppass scan"
	return v
}

func (m *Model) render() string {
	st := m.styles
	out := st.Subtle.Render(termsafe.Clean(m.opts.Banner)) + "\n"
	switch {
	case m.err != nil:
		out += st.Error.Render("✗ The scan could not finish: "+termsafe.Clean(m.err.Error())) + "\n\n" +
			"No account list is shown from a sign-in log that was not read whole. Press q to quit."
	case m.result == nil:
		out += st.Title.Render("Reading the sign-in log and judging each account…") + "\n\n" + m.progressView()
	case m.detail != nil:
		return m.scrolled(st, out)
	default:
		head := st.Title.Render(termsafe.Clean(m.result.Summary())) + "\n" + m.filterLine()
		var note string
		if m.message != "" {
			note = "\n" + st.Info.Render(termsafe.Clean(m.message))
		}
		m.fitTable(out + head + note)
		out += head + "\n" + m.table.View() + note
	}
	body := lipgloss.NewStyle().Width(max(m.width-2, 20)).Render(out)
	if lines := strings.Split(body, "\n"); m.height > 4 && len(lines) > m.height-2 {
		// Never push the keys off a short terminal: the evidence's last
		// lines give way (a wider or taller terminal shows them).
		body = strings.Join(append(lines[:m.height-3], m.styles.Subtle.Render("… more in a taller terminal, or in the exports (e)")), "\n")
	}
	return body + "\n" + m.help.View(keys)
}

// scrolled is the evidence view: as many of its lines as fit, from the
// scroll offset, and the keys always below.
func (m *Model) scrolled(st styles.Styles, header string) string {
	body := lipgloss.NewStyle().Width(max(m.width-2, 20)).Render(header + m.detailView(*m.detail))
	lines := strings.Split(body, "\n")
	room := len(lines)
	if m.height > 4 {
		room = m.height - 3 // a line for "more" and one for the keys
	}
	m.scroll = max(min(m.scroll, len(lines)-room), 0)
	end := min(m.scroll+room, len(lines))
	out := strings.Join(lines[m.scroll:end], "\n")
	switch {
	case end < len(lines):
		out += "\n" + st.Subtle.Render(fmt.Sprintf("↓ %d more lines", len(lines)-end))
	case m.scroll > 0:
		out += "\n" + st.Subtle.Render("↑ more above")
	default:
		out += "\n"
	}
	return out + "\n" + m.help.View(detailKeys{})
}

// fitTable gives the table the lines the rest of the screen leaves (the
// summary wraps to as many lines as the width makes it), and no more than
// its rows need: the keys and any note below it always show.
func (m *Model) fitTable(rest string) {
	if m.height <= 4 {
		return
	}
	used := lipgloss.Height(lipgloss.NewStyle().Width(max(m.width-2, 20)).Render(rest))
	helpLines := 1
	if m.help.ShowAll {
		helpLines = len(keys.FullHelp()[0])
	}
	room := m.height - used - helpLines
	m.table.SetHeight(max(min(room, len(m.shown)+1), 3)) // +1: the header
}

func (m *Model) progressView() string {
	p := m.seen
	if p.Accounts == 0 {
		return p.Line()
	}
	return bar(p.Judged, p.Accounts, min(max(m.width-4, 10), 40)) + "\n" + p.Line()
}

// bar is a progress bar of width cells, done of total filled. (A plain
// one: bubbles' animated bar would cost the build a physics library.)
func bar(done, total, width int) string {
	filled := 0
	if total > 0 {
		filled = min(done*width/total, width)
	}
	return strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
}

func (m *Model) filterLine() string {
	verdict, protocol := "every verdict", "every protocol"
	if v := verdicts[m.verdict]; v != "" {
		verdict = "verdict " + string(v)
	}
	if m.protocol > 0 {
		protocol = m.protocols()[m.protocol-1]
	}
	return m.styles.Subtle.Render(fmt.Sprintf("Showing %d of %d · %s · %s", len(m.shown), len(m.result.Rows), verdict, protocol))
}

// detailView is what one account's verdict rests on: the cause, the
// answer, the default-off and each check.
func (m *Model) detailView(r scan.Row) string {
	st := m.styles
	out := st.Title.Render(termsafe.Clean(r.UPN)) + "  " + st.Subtle.Render(r.Service.Label()) + "\n\n" +
		termsafe.Clean(r.Cause) + "\n\n" +
		"Now: " + termsafe.Clean(string(r.Fate)) + ifNotEmpty(" — since the earlier scan: ", string(r.Change)) + "\n" +
		"Newest legacy sign-in: " + lastSignIn(r) + "\n" +
		"App password: " + termsafe.Clean(string(r.Answer)) + ifNotEmpty(" — ", r.Why) + "\n" +
		"At the SMTP AUTH default-off: " + termsafe.Clean(r.AtDefaultOff) + "\n\n"
	for _, l := range r.Evidence.Checklist() {
		out += fmt.Sprintf("%s %-32s %s\n", lineMark(l.Mark), l.Label, termsafe.Clean(l.Summary))
	}
	return out + "\n" + st.Subtle.Render("enter walks the fix for this account in the wizard, starting from this evidence; esc goes back.")
}

// lastSignIn is the newest legacy sign-in: when, with what, from where.
func lastSignIn(r scan.Row) string {
	if r.LastLegacy.IsZero() {
		if r.LastEmailActivity != "" {
			return "not read (no sign-in log); last email activity " + termsafe.Clean(r.LastEmailActivity)
		}
		return "not read"
	}
	parts := []string{r.LastLegacy.UTC().Format("2006-01-02 15:04Z")}
	for _, p := range []string{r.LastClientApp, r.LastIPAddress, r.LastLocation} {
		if p != "" {
			parts = append(parts, termsafe.Clean(p))
		}
	}
	return strings.Join(parts, " · ")
}

func lineMark(m diagnose.Mark) string {
	if s, ok := map[diagnose.Mark]string{diagnose.MarkFine: "✓", diagnose.MarkProblem: "✗", diagnose.MarkWarning: "!", diagnose.MarkUnchecked: "?"}[m]; ok {
		return s
	}
	return "·"
}

func ifNotEmpty(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + termsafe.Clean(s)
}
