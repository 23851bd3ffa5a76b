package steps

import (
	"github.com/atotto/clipboard"

	tea "charm.land/bubbletea/v2"
)

// copyText puts text on the clipboard both ways there are: the terminal's
// (OSC 52, which Windows Terminal and most terminals take) and the
// system's (the Windows clipboard API, pbcopy, xclip), for terminals that
// ignore OSC 52 such as the classic Windows console. Either may be
// missing; the screen says "where the terminal allows it".
func copyText(text string) tea.Cmd {
	return tea.Batch(tea.SetClipboard(text), func() tea.Msg {
		_ = clipboard.WriteAll(text) // best effort: no system clipboard over SSH or without X
		return nil
	})
}
