package steps

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/graphclient"
)

// IDConnection is the failing-connection screen.
const IDConnection = flow.IDConnection

// Connection asks which account and service fail, and optionally the error text.
type Connection struct {
	base
	account textinput.Model
	pasted  textinput.Model
	service menu
	focus   int // 0 account, 1 service, 2 error
	looking bool
	err     error
	problem string
}

// NewConnection builds the screen, pre-filled with the suggested account
// and service (the demo's), or on the end-user path with the person's own.
func NewConnection(c *Common) Step {
	acct := c.newInput("backup@contoso.com", 320, 60)
	upn := c.SuggestedUPN
	if c.Session.Mode == ModeEndUser {
		upn = c.Session.Me.UserPrincipalName
	}
	acct.SetValue(upn)
	pasted := c.newInput("optional: paste the app's error message", 4000, 60)
	m := menu{}
	for i, sv := range diagnose.Services {
		m.items = append(m.items, sv.Label())
		if sv == c.SuggestedService {
			m.cursor = i
		}
	}
	conn := &Connection{base: newBase(c, IDConnection), account: acct, pasted: pasted, service: m}
	conn.account.Focus()
	return conn
}

// Init implements Step.
func (s *Connection) Init() tea.Cmd { return textinput.Blink }

func (s *Connection) setFocus(i int) {
	s.focus = i
	s.account.Blur()
	s.pasted.Blur()
	switch i {
	case 0:
		s.account.Focus()
	case 2:
		s.pasted.Focus()
	}
}

// Update implements Step.
func (s *Connection) Update(msg tea.Msg) (Step, tea.Cmd) {
	if r, ok := mine[graphclient.User](&s.base, msg); ok {
		s.looking = false
		if r.err != nil {
			s.err = r.err
			if graphclient.IsNotFound(r.err) {
				s.err, s.problem = nil, "No account "+s.upn()+" in this tenant. Check the name the app signs in with."
			}
			return s, nil
		}
		return s, s.finish(diagnose.OutcomeDone, "", s.target(r.value))
	}
	k, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && s.looking:
		return s, nil
	case isKey && key.Matches(k, keys.Tab):
		s.setFocus((s.focus + 1) % 3)
		return s, nil
	case isKey && key.Matches(k, keys.Enter):
		return s, s.submit()
	case isKey && s.focus == 1:
		s.service.update(k)
		return s, nil
	}
	var cmd tea.Cmd
	switch s.focus {
	case 0:
		s.account, cmd = s.account.Update(msg)
	case 2:
		s.pasted, cmd = s.pasted.Update(msg)
	}
	return s, cmd
}

func (s *Connection) upn() string { return strings.TrimSpace(s.account.Value()) }

func (s *Connection) target(u graphclient.User) Target {
	return Target{UPN: s.upn(), Service: diagnose.Services[s.service.cursor], Pasted: s.pasted.Value(), User: u}
}

func (s *Connection) submit() tea.Cmd {
	s.err, s.problem = nil, ""
	upn := s.upn()
	if err := graphclient.ValidateUPN(upn); err != nil {
		s.problem = err.Error()
		return nil
	}
	me := s.c.Session.Me
	if s.c.Session.Mode == ModeEndUser {
		if !strings.EqualFold(upn, me.UserPrincipalName) {
			s.problem = "On the end-user path apppass checks your own account. To check another account, go back (esc) and choose the admin path."
			return nil
		}
		return s.finish(diagnose.OutcomeDone, "", s.target(me))
	}
	s.looking = true
	g := s.c.Graph
	return do(&s.base, func(ctx context.Context) (graphclient.User, error) { return g.User(ctx, upn) })
}

// View implements Step.
func (s *Connection) View() string {
	st := s.c.Styles
	label := func(i int, text string) string {
		if i == s.focus {
			return st.Selected.Render(text)
		}
		return st.Subtle.Render(text)
	}
	out := st.Title.Render("The failing connection") + "\n\n" +
		label(0, "Account the app signs in as") + "\n" + s.account.View() + "\n\n" +
		label(1, "What the app uses") + "\n" + s.service.view(s.c) + "\n" +
		label(2, "The app's error (optional)") + "\n" + s.pasted.View() + "\n"
	switch {
	case s.looking:
		out += "\nLooking the account up…"
	case s.problem != "":
		out += "\n" + st.Warning.Render(s.c.wrap(s.problem))
	case s.err != nil:
		out += "\n" + s.c.errorView(s.err)
	}
	return out
}

// KeyMap implements Step.
func (s *Connection) KeyMap() help.KeyMap {
	k := keyMap{keys.Tab, withHelp(keys.Enter, "diagnose")}
	if s.focus == 1 {
		k = append(keyMap{keys.Up, keys.Down}, k...)
	}
	return k
}

// Typing reports that printable keys go to a text field.
func (s *Connection) Typing() bool { return s.focus != 1 }

// FocusLine implements Focus: the field being edited, or the problem below.
func (s *Connection) FocusLine() int {
	switch {
	case s.problem != "" || s.err != nil || s.looking:
		return -1
	case s.focus == 0:
		return 3
	case s.focus == 1:
		return 6 + s.service.cursor
	}
	return 7 + len(s.service.items)
}
