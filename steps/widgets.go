package steps

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
	"github.com/apppass/apppass/termsafe"
)

// menu is a vertical choice list.
type menu struct {
	items  []string
	cursor int
}

func (m *menu) update(msg tea.KeyPressMsg) {
	switch {
	case key.Matches(msg, Keys.Up):
		m.cursor = (m.cursor + len(m.items) - 1) % len(m.items)
	case key.Matches(msg, Keys.Down):
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

// wrap fits text to the body width.
func (c *Common) wrap(text string) string {
	w := c.Width
	if w <= 0 {
		w = 76
	}
	return lipgloss.NewStyle().Width(w).Render(text)
}

// explain turns an error into plain words and what to do next, keeping
// the request id for support.
func explain(err error) (text, next string) {
	var ee *graphclient.EntraError
	switch {
	case errors.As(err, &ee):
		info := diagnose.LookupCode(ee.Code())
		return fmt.Sprintf("Entra ID refused: %s (AADSTS%d).", info.Meaning, ee.Code()), "See " + ee.LookupURL() + "."
	case graphclient.IsLicenceRequired(err):
		return "The tenant lacks the licence this needs (Microsoft Entra ID P1).", "Continue without it, or ask your admin about the licence."
	case graphclient.IsForbidden(err):
		return "You lack the role or permission this needs.", "Ask an admin, or sign in as one."
	case graphclient.IsNotFound(err):
		return "Microsoft Graph does not know that object.", "Check the account name and try again."
	case graphclient.IsThrottled(err):
		return "Microsoft Graph is throttling requests.", "Wait a minute, then press r to retry."
	case graphclient.IsUnavailable(err):
		return "Microsoft Graph is unavailable for now.", "Wait a minute, then press r to retry."
	case errors.Is(err, graphclient.ErrUnreachable):
		return "No answer from Microsoft (network or time-out).", "Check the connection, then press r to retry."
	case errors.Is(err, graphclient.ErrMalformedResponse):
		return "Microsoft sent an answer apppass could not read.", "Press r to retry."
	case errors.Is(err, graphclient.ErrNotSignedIn):
		return "The sign-in has expired.", "Press esc to go back and sign in again."
	}
	return termsafe.Clean(err.Error()), "Press r to retry."
}

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

// adminNote is the note for an admin, from the diagnosis.
func (c *Common) adminNote() string {
	if c.Session.Report == nil {
		return ""
	}
	return c.Session.Report.AdminNote()
}

// roleGate is what a write step shows when the person lacks its role: why,
// and on n the note for an admin.
type roleGate struct {
	role     string
	showNote bool
}

// leave handles the gate's keys and reports whether the step should end.
func (g *roleGate) leave(k tea.KeyPressMsg) bool {
	if key.Matches(k, Keys.Note) {
		g.showNote = true
	}
	return key.Matches(k, Keys.Enter)
}

func (g roleGate) view(c *Common) string {
	if g.showNote {
		return c.Styles.Box.Render(c.adminNote())
	}
	return c.roleView(g.role)
}
