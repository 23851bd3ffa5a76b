package steps

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/flow"
)

// The first screens.
const (
	IDPicker  ID = "picker"
	IDWelcome    = flow.IDWelcome
)

// Mode is whose connection is being fixed.
type Mode = flow.Mode

// The two paths.
const (
	ModeEndUser = flow.ModeEndUser // my own connection
	ModeAdmin   = flow.ModeAdmin   // an account I administer
)

// Welcome says what apppass does and asks whose connection it is.
type Welcome struct {
	base
	choice menu
}

// NewWelcome builds the welcome screen.
func NewWelcome(c *Common) Step {
	w := &Welcome{base: newBase(c, IDWelcome), choice: menu{items: []string{
		"My own connection: an app of mine gets 401 Unauthorized",
		"An account I administer: a service account used by a backup or mail tool",
	}}}
	if c.Preloaded != nil {
		w.choice.cursor = int(ModeAdmin) // from apppass scan: an account the admin scanned
	}
	return w
}

// Init implements Step.
func (w *Welcome) Init() tea.Cmd { return nil }

// Update implements Step.
func (w *Welcome) Update(msg tea.Msg) (Step, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if key.Matches(k, keys.Enter) {
			return w, w.finish(diagnose.OutcomeDone, "", Mode(w.choice.cursor))
		}
		w.choice.update(k)
	}
	return w, nil
}

// View implements Step.
func (w *Welcome) View() string {
	s := w.c.Styles
	return s.Title.Render("Fix a Microsoft 365 sign-in that fails with 401 Unauthorized") + "\n\n" +
		w.c.wrap("apppass finds out why an app that signs in with a password is refused, says plainly whether an app password can fix it (in late 2026 only SMTP AUTH still takes one), and walks you through the fix with live checks. Nothing changes in your tenant unless you confirm the exact change.") +
		"\n\nWhose connection is it?\n\n" + w.choice.view(w.c)
}

// KeyMap implements Step.
func (w *Welcome) KeyMap() help.KeyMap { return keyMap{keys.Up, keys.Down, keys.Enter} }

// ScenarioInfo is one demo scenario for the picker.
type ScenarioInfo struct {
	Name, Description, AsOf string
}

// Picked is the scenario the trainer chose.
type Picked string

// Record implements Result: a picked scenario restarts the wizard.
func (Picked) Record(*Session) {}

// Picker lets a trainer choose the demo's scenario.
type Picker struct {
	base
	scenarios []ScenarioInfo
	choice    menu
}

// NewPicker builds the demo scenario picker.
func NewPicker(c *Common, scenarios []ScenarioInfo) Step {
	p := &Picker{base: newBase(c, IDPicker), scenarios: scenarios}
	for _, sc := range scenarios {
		p.choice.items = append(p.choice.items, sc.Name)
	}
	return p
}

// Init implements Step.
func (p *Picker) Init() tea.Cmd { return nil }

// Update implements Step.
func (p *Picker) Update(msg tea.Msg) (Step, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && len(p.scenarios) > 0 {
		if key.Matches(k, keys.Enter) {
			return p, p.finish(diagnose.OutcomeDone, "", Picked(p.scenarios[p.choice.cursor].Name))
		}
		p.choice.update(k)
	}
	return p, nil
}

// View implements Step.
func (p *Picker) View() string {
	s := p.c.Styles
	out := s.Title.Render("Choose a simulated tenant") + "\n\n"
	for i, sc := range p.scenarios {
		line := sc.Name
		for len(line) < 22 {
			line += " "
		}
		line += s.Subtle.Render(truncate(sc.AsOf+"  "+sc.Description, p.c.Width-24))
		if i == p.choice.cursor {
			out += s.Selected.Render("› ") + line + "\n"
		} else {
			out += "  " + line + "\n"
		}
	}
	return out + "\n" + p.c.wrap(s.Subtle.Render("Everything runs against apppass's built-in simulated Microsoft cloud: real sign-in and Graph code, no tenant needed."))
}

// FocusLine implements Focus: the chosen scenario stays on screen.
func (p *Picker) FocusLine() int { return 2 + p.choice.cursor }

// KeyMap implements Step.
func (p *Picker) KeyMap() help.KeyMap { return keyMap{keys.Up, keys.Down, keys.Enter} }
