package steps

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/styles"
)

// menu is a vertical choice list.
type menu struct {
	items  []string
	cursor int
}

func (m *menu) update(msg tea.KeyPressMsg) {
	switch {
	case key.Matches(msg, keys.Up):
		m.cursor = (m.cursor + len(m.items) - 1) % len(m.items)
	case key.Matches(msg, keys.Down):
		m.cursor = (m.cursor + 1) % len(m.items)
	}
}

func (m menu) view(c *Common) string {
	var b strings.Builder
	for i, it := range m.items {
		if i == m.cursor {
			b.WriteString(c.Styles.Selected.Render("› "+it) + "\n")
		} else {
			b.WriteString("  " + it + "\n")
		}
	}
	return b.String()
}

// Focus is the line of a step's view the wizard keeps on screen when the
// view is taller than the window: a menu's cursor, or a question at the end.
type Focus interface {
	// FocusLine is a line index of View's output; -1 means the last line.
	FocusLine() int
}

// wrap fits text to the body width.
func (c *Common) wrap(text string) string {
	w := c.Width
	if w <= 0 {
		w = 76
	}
	return Wrap(c.ownLines(text, w), w)
}

// bullet is one item of a list, wrapped with its lines indented under the
// text, not under the mark.
func (c *Common) bullet(mark, text string) string {
	w := c.Width
	if w <= 0 {
		w = 76
	}
	lead := "  " + mark + " "
	inner := max(w-lipgloss.Width(lead), 10)
	body := Wrap(c.ownLines(text, inner), inner)
	return lead + strings.ReplaceAll(body, "\n", "\n"+strings.Repeat(" ", lipgloss.Width(lead)))
}

// newInput is a text field styled by the theme.
func (c *Common) newInput(placeholder string, limit, width int) textinput.Model {
	in := textinput.New()
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetWidth(width)
	in.SetStyles(c.Styles.Input)
	return in
}

// explain turns an error into plain words and what to do next (flow's
// words, shared with plain mode and the commands).
func explain(err error) (text, next string) { return flow.Explain(err) }

// firstLine is an error in plain words, without what to do next.
func firstLine(err error) string {
	text, _ := explain(err)
	return text
}

// Explain is an error in plain words, in one line (for plain mode).
func Explain(err error) string { return firstLine(err) }

// errorView shows an error where it happened.
func (c *Common) errorView(err error) string {
	text, next := explain(err)
	out := c.Styles.Error.Render("✗ "+text) + "\n" + c.wrap(next)
	if id := graphclient.RequestID(err); id != "" {
		out += "\n" + c.Styles.Subtle.Render("request-id "+id+" (quote it to Microsoft support)")
	}
	return out
}

// missingRole names the role the signed-in person lacks for a plan step, or "".
func (c *Common) missingRole(step diagnose.StepID) string {
	roles := step.RolesNeeded()
	if roles == nil || diagnose.HasAnyRole(c.Session.Roles, roles) {
		return ""
	}
	return diagnose.RoleList(roles)
}

// roleView explains a missing role and offers the note for an admin.
func (c *Common) roleView(role string) string {
	return c.Styles.Warning.Render(c.wrap("You do not hold the "+role+" role this step needs.")) + "\n" +
		c.wrap("apppass will not try a change it cannot make. Press n for a note to send to an admin, or enter to go on without this step.")
}

// adminNote is the note for an admin, from the diagnosis and what this run
// has done so far: it never asks for a change already made.
func (c *Common) adminNote() string {
	if c.Session.Report == nil {
		return ""
	}
	return c.Session.ReportSoFar().AdminNote()
}

// roleGate is what a write step shows when the person lacks its role: why,
// and on n the note for an admin.
type roleGate struct {
	role string
	note noteView
}

// update handles the gate's keys and reports whether the step should end.
func (g *roleGate) update(c *Common, k tea.KeyPressMsg) bool {
	if g.note.open {
		g.note.update(k)
		return false
	}
	if key.Matches(k, keys.Note) {
		g.note.show(c)
	}
	return key.Matches(k, keys.Enter)
}

func (g *roleGate) keyMap() keyMap {
	if g.note.open {
		return g.note.keyMap()
	}
	return keyMap{keys.Note, withHelp(keys.Enter, "go on without this step")}
}

func (g roleGate) view(c *Common) string {
	if g.note.open {
		return g.note.view(c)
	}
	return c.roleView(g.role)
}

// noteView shows the note for an admin over a screen; esc or enter closes
// it. The note is written once, when it opens, not on every frame.
type noteView struct {
	open bool
	text string
}

// show opens the note with what the run has done so far.
func (n *noteView) show(c *Common) {
	n.open, n.text = true, c.adminNote()
}

func (n *noteView) update(k tea.KeyPressMsg) {
	if key.Matches(k, keys.Close) {
		n.open = false
	}
}

func (n noteView) keyMap() keyMap { return keyMap{keys.Close} }

func (n noteView) view(c *Common) string {
	return c.box("Note for an admin", n.text) + "\n" + c.Styles.Subtle.Render("esc or enter closes the note.")
}

// box frames text to the body's width, wrapped inside the frame.
func (c *Common) box(title, text string) string {
	st := c.Styles
	inner := max(c.Width-4, 20) // the border and padding take two columns each side
	body := lipgloss.NewStyle().Width(inner).Render(Fit(c.ownLines(strings.TrimRight(text, "\n"), inner), inner))
	return st.Box.Render(st.Title.Render(title) + "\n" + body)
}

// Modal is a step showing something over its screen, such as the note for
// an admin: esc closes it instead of going back.
type Modal interface{ Modal() bool }

// OutcomeStyle colours an outcome's mark, in the step bar and the summary.
func OutcomeStyle(st *styles.Styles, o diagnose.Outcome) lipgloss.Style {
	switch o {
	case diagnose.OutcomeDone:
		return st.StepDone
	case diagnose.OutcomeDeclined:
		return st.StepDeclined
	case diagnose.OutcomeSkipped:
		return st.StepPassed
	case diagnose.OutcomeFailed:
		return st.StepFailed
	case diagnose.OutcomeUnknown:
		return st.StepUnknown
	}
	return st.StepPending
}
