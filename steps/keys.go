package steps

import "charm.land/bubbles/v2/key"

// Keys are the bindings steps use; the wizard adds the global ones.
var Keys = struct {
	Up, Down, Enter, Yes, Confirm, No, Open, Copy, Approve, Retry, Check, Create, Export, Undo, Note, Tab key.Binding
}{
	Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	Enter:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
	Yes:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, make the change")),
	Confirm: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, it is done")),
	No:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "no")),
	Open:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
	Copy:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy")),
	Approve: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "approve now (demo)")),
	Retry:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
	Check:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "password check")),
	Create:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "create as the owner (demo)")),
	Export:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export report")),
	Undo:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo MFA change")),
	Note:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note for your admin")),
	Tab:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
}
