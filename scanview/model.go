// Package scanview is `apppass scan`'s full-screen table (a bubbles
// table): a progress bar while the scan reads (pages of the sign-in log,
// accounts judged of the total), then every account, most urgent first,
// filtered by verdict and protocol; i shows what one account's verdict
// rests on, enter opens the wizard for it.
package scanview

import (
	"context"
	"fmt"
	"slices"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/scan"
	"github.com/apppass/apppass/styles"
)

// Options are what the screen needs from its command.
type Options struct {
	Context context.Context
	Graph   scan.Graph
	Scan    scan.Options
	// Export writes a report file and says where (the command's exporter).
	Export  func(name string, data []byte) (string, error)
	NoColor bool
	// Banner is the first line: LIVE or DEMO and where.
	Banner string
	// Previous, when set, is an earlier scan to compare with (--compare).
	Previous *scan.Previous
}

// Model is the scan screen.
type Model struct {
	opts    Options
	styles  styles.Styles
	table   table.Model
	help    help.Model
	updates chan scan.Progress

	width, height int
	seen          scan.Progress
	result        *scan.Result
	err           error
	verdict       int // index into verdicts
	protocol      int // index into protocols()
	shown         []scan.Row
	detail        *scan.Row
	scroll        int // the evidence view's first line
	chosen        *scan.Row
	message       string
}

// verdicts are the verdict filter's steps; "" is every verdict.
var verdicts = []diagnose.Answer{"", diagnose.AnswerUntil, diagnose.AnswerUnknown, diagnose.AnswerNo, diagnose.AnswerYes}

// Messages of the scan running in the background.
type (
	progressMsg scan.Progress
	doneMsg     struct {
		res scan.Result
		err error
	}
)

// New builds the screen; Init starts the scan.
func New(opts Options) *Model {
	m := &Model{opts: opts, styles: styles.New(true, opts.NoColor), updates: make(chan scan.Progress, 64),
		help: help.New()}
	m.table = table.New(table.WithColumns(columns(100)), table.WithFocused(true))
	m.help.ShortSeparator = "  " // the eight keys fit 78 columns
	return m
}

// Init implements tea.Model: the scan runs in a command, its progress
// arriving as messages.
func (m *Model) Init() tea.Cmd {
	if m.result != nil || m.err != nil {
		return nil // back from the wizard: the table as it was
	}
	opts, updates := m.opts.Scan, m.updates
	opts.Progress = func(p scan.Progress) {
		select {
		case updates <- p:
		default: // a slow screen skips a step, never the scan
		}
	}
	run := func() tea.Msg {
		res, err := scan.Run(m.opts.Context, m.opts.Graph, opts)
		return doneMsg{res, err}
	}
	return tea.Batch(run, m.listen())
}

func (m *Model) listen() tea.Cmd {
	updates := m.updates
	return func() tea.Msg { return progressMsg(<-updates) }
}

// Err is the scan's error, if it failed.
func (m *Model) Err() error { return m.err }

// Result is the finished scan (nil until it finishes).
func (m *Model) Result() *scan.Result { return m.result }

// Chosen is the account the person asked to walk in the wizard, if any.
func (m *Model) Chosen() *scan.Row { return m.chosen }

// Resume makes the screen the table again after the wizard, its filters,
// selection and scroll kept, with a note of where the person has been.
func (m *Model) Resume(note string) {
	m.chosen, m.detail, m.message = nil, nil, note
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
	case progressMsg:
		m.seen = scan.Progress(msg)
		if m.result == nil && m.err == nil {
			return m, m.listen()
		}
	case doneMsg:
		if msg.err != nil {
			m.err = msg.err
			return m, nil
		}
		if m.opts.Previous != nil {
			if err := msg.res.Compare(*m.opts.Previous); err != nil {
				m.err = err
				return m, nil
			}
		}
		m.result = &msg.res
		m.refilter("")
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, keys.Quit):
		return tea.Quit
	case m.result == nil:
		return nil
	case key.Matches(k, keys.Wizard) && (m.detail != nil || len(m.shown) > 0):
		row := m.detail
		if row == nil {
			r := m.shown[m.table.Cursor()]
			row = &r
		}
		m.chosen = row
		return tea.Quit
	case m.detail != nil:
		switch k.String() {
		case "esc", "i":
			m.detail = nil
		case "up", "k":
			m.scroll--
		case "down", "j":
			m.scroll++
		case "pgup":
			m.scroll -= max(m.height-4, 1)
		case "pgdown", "space":
			m.scroll += max(m.height-4, 1)
		case "home":
			m.scroll = 0
		}
		m.scroll = max(m.scroll, 0) // the view caps it at the end
		return nil
	case key.Matches(k, keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
	case key.Matches(k, keys.Verdict):
		m.verdict = (m.verdict + 1) % len(verdicts)
		m.refilter("")
	case key.Matches(k, keys.Protocol):
		m.protocol = (m.protocol + 1) % (len(m.protocols()) + 1)
		m.refilter("")
	case key.Matches(k, keys.Open):
		if i := m.table.Cursor(); i >= 0 && i < len(m.shown) {
			row := m.shown[i]
			m.detail, m.scroll = &row, 0
		}
	case key.Matches(k, keys.Export):
		m.export()
	default:
		before := m.table.Cursor()
		var cmd tea.Cmd
		m.table, cmd = m.table.Update(k)
		m.markCursor(before)
		return cmd
	}
	return nil
}

// markCursor moves the "›" mark to the cursor's row: the selection shows
// without colour (NO_COLOR, a monochrome terminal, a screen reader).
func (m *Model) markCursor(before int) {
	rows := m.table.Rows()
	at := m.table.Cursor()
	for _, i := range []int{before, at} {
		if i < 0 || i >= len(rows) || i >= len(m.shown) {
			continue
		}
		row := slices.Clone(rows[i])
		row[0] = selectionMark(i == at) + mark(m.shown[i].Answer)
		rows[i] = row
	}
	m.table.SetRows(rows)
}

func selectionMark(selected bool) string {
	if selected {
		return "› "
	}
	return "  "
}

// protocols are the protocols seen, for the protocol filter.
func (m *Model) protocols() []string {
	var out []string
	for _, r := range m.result.Rows {
		for _, p := range r.Protocols {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

// selectedUPN is the account the selection is on ("" when none).
func (m *Model) selectedUPN() string {
	if i := m.table.Cursor(); i >= 0 && i < len(m.shown) {
		return m.shown[i].UPN
	}
	return ""
}

// refilter shows the rows the filters let through, in urgency order, the
// selection on the selected account when they keep it (a new size, the
// way back from the wizard), else on the first.
func (m *Model) refilter(selected string) {
	m.shown = m.shown[:0]
	var protocol string
	if m.protocol > 0 {
		protocol = m.protocols()[m.protocol-1]
	}
	for _, r := range m.result.Rows {
		if (verdicts[m.verdict] == "" || r.Answer == verdicts[m.verdict]) && (protocol == "" || slices.Contains(r.Protocols, protocol)) {
			m.shown = append(m.shown, r)
		}
	}
	rows := make([]table.Row, len(m.shown))
	n := len(m.table.Columns()) // a row has exactly a cell per column
	at := max(slices.IndexFunc(m.shown, func(r scan.Row) bool { return r.UPN == selected }), 0)
	for i, r := range m.shown {
		rows[i] = cells(r)[:n]
		rows[i][0] = selectionMark(i == at) + rows[i][0]
	}
	m.table.SetRows(rows)
	m.table.SetCursor(at)
}

// export writes the CSV, JSON and Markdown of the whole scan.
func (m *Model) export() {
	if m.opts.Export == nil {
		return
	}
	csv, err := m.result.CSV()
	if err != nil {
		m.message = "Export failed: " + err.Error()
		return
	}
	js, err := m.result.JSON()
	if err != nil {
		m.message = "Export failed: " + err.Error()
		return
	}
	stamp := m.result.To.UTC().Format("20060102-1504")
	var paths []string
	for name, data := range map[string][]byte{"apppass-scan-" + stamp + ".csv": csv, "apppass-scan-" + stamp + ".json": js,
		"apppass-scan-" + stamp + ".md": []byte(m.result.Markdown())} {
		path, err := m.opts.Export(name, data)
		if err != nil {
			m.message = "Export failed: " + err.Error()
			return
		}
		paths = append(paths, path)
	}
	slices.Sort(paths)
	m.message = fmt.Sprintf("Exported %d files: %v", len(paths), paths)
}
