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

// globalKeys work on every screen.
var globalKeys = struct{ Quit, Help, Back, Restart key.Binding }{
	Quit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
	Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	Restart: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "restart scenario")),
}

// titles are the step indicator's short names.
var titles = map[steps.ID]string{
	steps.IDWelcome: "Welcome", steps.IDSignIn: "Sign in", steps.IDConnection: "Connection",
	steps.IDDiagnosis: "Diagnosis", steps.IDAllow: "Allow", steps.IDEnable: "Enable MFA",
	steps.IDEnforce: "Enforce MFA", steps.IDSignOut: "Sign-out", steps.IDCreate: "App password",
	steps.IDTest: "Test", steps.IDSummary: "Summary",
}

// View implements tea.Model.
func (m *Model) View() tea.View {
	// Outside strings are cleaned where views show them; this is the net
	// under them: only our own colours reach the terminal.
	v := tea.NewView(termsafe.Frame(m.render()))
	v.AltScreen = true
	v.WindowTitle = "apppass"
	return v
}

// render is the whole frame as text.
func (m *Model) render() string {
	if m.width < MinWidth || m.height < MinHeight {
		return fmt.Sprintf("Terminal too small: apppass needs at least %d×%d, this one is %d×%d.\nEnlarge the window, or press ctrl+c to quit.",
			MinWidth, MinHeight, m.width, m.height)
	}
	if m.current == nil {
		return "Starting…"
	}
	s := m.styles
	header := m.banner()
	if m.env != nil {
		header += "\n" + m.indicator()
	}
	if m.notice != "" {
		header += "\n" + s.Warning.Width(m.width-2).Render(m.notice)
	}
	footer := m.footer()
	bodyHeight := m.height - lipgloss.Height(header) - lipgloss.Height(footer) - 2
	// Wrapping the body here keeps every screen inside the frame.
	body := clip(lipgloss.NewStyle().Width(m.width-2).Render(m.current.View()), max(bodyHeight, 1))
	return s.App.Render(lipgloss.JoinVertical(lipgloss.Left, s.Header.Render(header), body, s.Footer.Render(footer)))
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

// indicator shows every screen: done, current, skipped (not needed) or pending.
func (m *Model) indicator() string {
	s := m.styles
	var parts []string
	for _, id := range flow {
		name := titles[id]
		switch {
		case m.current != nil && m.current.ID() == id:
			parts = append(parts, s.StepCurrent.Render("● "+name))
		case m.status[id] == done:
			parts = append(parts, s.StepDone.Render("✓ "+name))
		case m.status[id] == skipped:
			parts = append(parts, s.StepSkipped.Render(name))
		default:
			parts = append(parts, s.StepPending.Render("○ "+name))
		}
	}
	return lipgloss.NewStyle().Width(m.width - 2).Render(strings.Join(parts, s.Subtle.Render(" › ")))
}

func (m *Model) footer() string {
	bindings := append([]key.Binding{}, m.current.Keys()...)
	bindings = append(bindings, globalKeys.Back, globalKeys.Help, globalKeys.Quit)
	if m.env != nil && m.env.Banner.Demo {
		bindings = append(bindings, globalKeys.Restart)
	}
	if m.showHelp {
		return m.help.FullHelpView(chunk(bindings, 4))
	}
	return ansi.Truncate(m.help.ShortHelpView(bindings), m.width-2, "…")
}

// clip keeps the body within its lines, saying so when it cuts.
func clip(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) <= lines {
		return strings.Join(all, "\n")
	}
	return strings.Join(all[:lines-1], "\n") + "\n…(enlarge the window to see the rest)"
}

// chunk splits bindings into help columns.
func chunk(b []key.Binding, n int) [][]key.Binding {
	var out [][]key.Binding
	for len(b) > n {
		out = append(out, b[:n])
		b = b[n:]
	}
	return append(out, b)
}
