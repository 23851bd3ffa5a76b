package steps

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
)

// bindings are the keys steps match on. Each step shows the ones that work
// in its current phase through its KeyMap.
type bindings struct {
	Up, Down, Enter, Yes, Confirm, No, Open, Copy, Approve, Retry, Check, Create, Missing,
	Remedy, Rollout, Export, Undo, Note, Close, Tab, UseDemo, Finish, UseCode, UseBrowser, Skip, Record key.Binding
}

// keys are the step bindings; the wizard adds the global ones.
var keys = bindings{
	Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	Enter:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
	Yes:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, make the change")),
	Confirm:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, it is done")),
	No:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "no")),
	Open:       key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
	Copy:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy the code")),
	Approve:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "approve now (demo)")),
	Retry:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
	Check:      key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "password check")),
	Create:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "create as the owner (demo)")),
	Missing:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "I don't see App password")),
	Remedy:     key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "disable and re-enable MFA")),
	Rollout:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "put MFA on this account")),
	Export:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export report")),
	Undo:       key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo MFA change")),
	Note:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note for an admin")),
	Close:      key.NewBinding(key.WithKeys("esc", "enter", "q"), key.WithHelp("esc", "close")),
	Tab:        key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
	UseDemo:    key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "use the demo's app password")),
	Finish:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "finish")),
	UseCode:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "sign in with a code instead")),
	UseBrowser: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "sign in with the browser instead")),
	Skip:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "skip")),
	Record:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "record the refusal")),
}

// keyMap is one phase's bindings; it implements help.KeyMap.
type keyMap []key.Binding

// ShortHelp implements help.KeyMap.
func (k keyMap) ShortHelp() []key.Binding { return k }

// FullHelp implements help.KeyMap.
func (k keyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k} }

var _ help.KeyMap = keyMap(nil)

// withHelp is a binding with the same keys and another description.
func withHelp(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}
