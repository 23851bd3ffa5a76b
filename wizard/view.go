package wizard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/apppass/apppass/steps"
	"github.com/apppass/apppass/termsafe"
)

// View implements tea.Model.
func (m *Model) View() tea.View {
	// Outside strings are cleaned where views show them; this is the net
	// under them: only our own colours reach the terminal.
	v := tea.NewView(termsafe.Frame(m.render()))
	v.AltScreen = true
	v.WindowTitle = "apppass"
	return v
}

func (m *Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

// render is the whole frame as text.
func (m *Model) render() string {
	if m.tooSmall() {
		return lipgloss.NewStyle().Width(max(m.width, 20)).Render(fmt.Sprintf("Terminal too small: apppass needs at least %d×%d, this one is %d×%d.\nEnlarge the window, or press ctrl+c to quit.",
			MinWidth, MinHeight, m.width, m.height))
	}
	if m.current == nil {
		return "Starting…"
	}
	// App's padding lines the blocks up as JoinVertical would: one pass, not two.
	return m.styles.App.Render(m.frame.header + "\n" + m.body.View() + "\n" + m.frame.footer)
}

func (m *Model) header() string {
	header := m.banner()
	if m.env != nil {
		header += "\n" + m.indicator()
	}
	if m.notice != "" {
		header += "\n" + m.styles.Warning.Width(m.width-2).Render(m.notice)
	}
	return header
}

// syncBody lays the current screen into the scrolling body, keeps the line
// the screen asks for (a cursor, a question) on screen, and keeps the
// header and footer that frame it for render.
func (m *Model) syncBody() {
	if m.current == nil || m.tooSmall() {
		return
	}
	s := m.styles
	// Wrapping here keeps every screen inside the frame: at spaces only,
	// so no command or address is split, and a word longer than the body
	// is cut with a visible mark (steps.Cut says why).
	if m.common != nil {
		m.common.Shown = m.common.Shown[:0] // View lists the tokens it draws
	}
	content := strings.TrimRight(steps.Fit(m.current.View(), m.width-2), "\n")
	m.body.SetWidth(m.width - 2)
	m.body.SetContent(content)
	m.frame.header = s.Header.Render(m.header())
	m.fitBody()
	focus := 0
	if f, ok := m.current.(steps.Focus); ok {
		focus = f.FocusLine()
	}
	lines := m.body.TotalLineCount()
	if m.focus == [2]int{focus, lines} {
		return // the person may have scrolled since: leave it
	}
	m.focus = [2]int{focus, lines}
	top, visible := m.body.YOffset(), m.body.Height()
	switch {
	case focus < 0:
		m.body.GotoBottom()
	case focus < top:
		m.body.SetYOffset(focus)
	case focus >= top+visible:
		m.body.SetYOffset(focus) // clamped: as much of what follows as fits
	default:
		return
	}
	m.fitBody() // the footer's scroll keys changed
}

// fitBody sizes the body to what the header and footer leave. The footer's
// keys depend on the body's scroll state and its height on the keys: size
// until the two agree.
func (m *Model) fitBody() {
	for range 3 {
		m.frame.footer = m.styles.Footer.Render(m.footer())
		height := max(m.height-lipgloss.Height(m.frame.header)-lipgloss.Height(m.frame.footer), 3)
		if height == m.body.Height() {
			return
		}
		m.body.SetHeight(height)
		m.body.SetYOffset(m.body.YOffset()) // clamp to the new height
	}
}

func (m *Model) banner() string {
	s := m.styles
	if m.env == nil || m.env.Banner.Demo {
		text := "DEMO · simulated Microsoft cloud"
		if m.env != nil {
			text = fmt.Sprintf("DEMO · %s · as of %s", m.env.Banner.Scenario, m.env.Banner.AsOf)
		}
		return s.DemoBanner.Render(text) + " " + s.Subtle.Render("no real tenant is touched")
	}
	text := "LIVE · " + m.env.Cloud.Description
	if t := m.session.Tenant.DisplayName; t != "" {
		text += " · " + termsafe.Clean(t)
	}
	return s.LiveBanner.Render(text) + " " + s.Subtle.Render("changes are real and need your confirmation")
}

// stepMark is one screen in the step bar.
type stepMark struct {
	glyph, name string
	style       lipgloss.Style
	current     bool
	notNeeded   bool
}

// marks are the step bar's entries: each screen the flow shows or showed,
// with its outcome, and plan screens the plan does not need struck out.
func (m *Model) marks() []stepMark {
	s := m.styles
	var out []stepMark
	for _, sc := range steps.Screens() {
		outcome, ended := m.outcomeOf(sc.ID)
		needed := sc.Needed(m.session)
		switch {
		case m.current.ID() == sc.ID:
			out = append(out, stepMark{glyph: "●", name: sc.Title, style: s.StepCurrent, current: true})
		case ended:
			out = append(out, stepMark{glyph: outcome.Mark(), name: sc.Title, style: steps.OutcomeStyle(&m.styles, outcome)})
		case sc.Offered != nil && !needed:
			// a remedy is in the bar only once offered
		case sc.Plan != "" && m.session.Report == nil:
			out = append(out, stepMark{glyph: "○", name: sc.Title, style: s.StepPending}) // the plan decides later
		case !needed:
			out = append(out, stepMark{name: sc.Title, style: s.StepSkipped, notNeeded: true})
		default:
			out = append(out, stepMark{glyph: "○", name: sc.Title, style: s.StepPending})
		}
	}
	return out
}

// indicator shows every screen, condensed until it fits on one line: in
// full; without the screens the plan does not need; closer together; then
// marks only, with the current screen named.
func (m *Model) indicator() string {
	s := m.styles
	width := m.width - 2
	all := m.marks()
	full := func(marks []stepMark, sep string) string {
		parts := make([]string, 0, len(marks))
		for _, mk := range marks {
			text := mk.name
			if mk.glyph != "" {
				text = mk.glyph + " " + mk.name
			}
			parts = append(parts, mk.style.Render(text))
		}
		return strings.Join(parts, s.Subtle.Render(sep))
	}
	if line := full(all, " › "); lipgloss.Width(line) <= width {
		return line
	}
	var needed []stepMark
	for _, mk := range all {
		if !mk.notNeeded {
			needed = append(needed, mk)
		}
	}
	for _, sep := range []string{" › ", "  "} {
		if line := full(needed, sep); lipgloss.Width(line) <= width {
			return line
		}
	}
	parts := make([]string, 0, len(needed))
	at := 0
	for i, mk := range needed {
		if mk.current {
			at = i + 1
			parts = append(parts, mk.style.Render(mk.glyph+" "+mk.name))
			continue
		}
		parts = append(parts, mk.style.Render(mk.glyph))
	}
	line := s.Subtle.Render(fmt.Sprintf("Step %d of %d  ", at, len(needed))) + strings.Join(parts, " ")
	return ansi.Truncate(line, width, "…")
}

// footer is the step's keys and the global ones that work now; the keys
// that reveal more of the body come first, so they are never cut off.
func (m *Model) footer() string {
	g := globalKeys
	_, canBack := m.previous()
	g.Back.SetEnabled(canBack || m.canReturn())
	if !canBack && m.canReturn() {
		g.Back.SetHelp("esc", "back to "+m.env.ReturnTo)
	}
	g.Restart.SetEnabled(m.env != nil && m.env.Banner.Demo)
	g.PageDown.SetEnabled(!m.body.AtBottom())
	g.PageUp.SetEnabled(!m.body.AtTop())
	g.Copy.SetEnabled(m.canCopy())
	if m.common != nil {
		switch shown := m.common.Shown; {
		case len(shown) > 1:
			g.Copy.SetHelp("c", fmt.Sprintf("copy each of %d", len(shown)))
		case len(shown) == 1 && strings.Contains(shown[0], "://"):
			g.Copy.SetHelp("c", "copy the address")
		case len(shown) == 1:
			g.Copy.SetHelp("c", "copy the command")
		}
	}
	var short []key.Binding
	var full [][]key.Binding
	if km := m.current.KeyMap(); km != nil { // nil while a step waits
		short, full = km.ShortHelp(), km.FullHelp()
	}
	if m.showHelp {
		cols := append(full, g.FullHelp()...)
		// Wrapped to the frame: one line of it was 98 cells, and the terminal
		// cut it at 80.
		legend := m.styles.Subtle.Render(steps.Wrap("Marks: ✓ done · – declined · » skipped · ✗ failed · ? unknown · ○ to come · struck out: not needed", m.width-2))
		return m.help.FullHelpView(cols) + "\n" + legend
	}
	bindings := []key.Binding{g.PageDown, g.PageUp}
	bindings = append(bindings, short...)
	bindings = append(bindings, g.Copy, g.Back, g.Help, g.Quit, g.Restart)
	keys := m.keyLines(bindings, 3)
	if m.flash != "" {
		// The answer to the last key, in the footer so always in view, on
		// one line (what it names comes last: that is what a cut shortens).
		return m.styles.Pass.Render(steps.Cut(m.flash, m.width-2)) + "\n" + keys
	}
	return keys
}

// keyLines lays bindings out on at most n lines, breaking between keys,
// never inside one; what does not fit is in the ? help.
func (m *Model) keyLines(bindings []key.Binding, n int) string {
	st, width := m.help.Styles, m.width-2
	sep := st.ShortSeparator.Render(" • ")
	var lines []string
	line := ""
	for _, b := range bindings {
		if !b.Enabled() {
			continue
		}
		item := st.ShortKey.Render(b.Help().Key) + " " + st.ShortDesc.Render(b.Help().Desc)
		switch {
		case line == "":
			line = item
		case lipgloss.Width(line+sep+item) <= width:
			line += sep + item
		default:
			lines = append(lines, line)
			line = item
		}
	}
	lines = append(lines, line)
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = ansi.Truncate(lines[n-1], width-2, "") + st.Ellipsis.Render(" …")
	}
	return strings.Join(lines, "\n")
}
