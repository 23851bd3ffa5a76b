package wizard

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
)

// globalKeyMap are the keys that work on every screen; it implements help.KeyMap.
type globalKeyMap struct {
	Quit, Help, Back, Restart, PageDown, PageUp, Copy key.Binding
}

var globalKeys = globalKeyMap{
	Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
	Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	Restart:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "restart scenario")),
	PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "more below")),
	PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "more above")),
	Copy:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy")),
}

// ShortHelp implements help.KeyMap.
func (k globalKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.PageDown, k.PageUp, k.Copy, k.Back, k.Help, k.Quit, k.Restart}
}

// FullHelp implements help.KeyMap.
func (k globalKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

var _ help.KeyMap = globalKeyMap{}
