package steps

import (
	"github.com/atotto/clipboard"

	tea "charm.land/bubbletea/v2"
)

// Flash is a short answer to a key just pressed ("Copied ...", "Could not
// open a browser ...", "Exported ..."). The wizard shows it above the footer,
// always inside the frame whatever the body's scroll, until the next key:
// an answer drawn at the end of a long body was below the fold at 80×24.
type Flash string

// flash is a command that shows text as a Flash.
func flash(text string) tea.Cmd { return func() tea.Msg { return Flash(text) } }

// CopyText puts text on the clipboard both ways there are: the terminal's
// (OSC 52, which Windows Terminal and most terminals take) and the
// system's (the Windows clipboard API, pbcopy, xclip), for terminals that
// ignore OSC 52 such as the classic Windows console. Either may be
// missing, so the Flash it shows says "where the terminal allows it";
// what names what was copied ("the code ...", or the text itself), last,
// so that a long one is what the one-line answer cuts.
func CopyText(text, what string) tea.Cmd {
	return tea.Batch(tea.SetClipboard(text), func() tea.Msg {
		_ = clipboard.WriteAll(text) // best effort: no system clipboard over SSH or without X
		return nil
	}, flash("Copied to the clipboard (where the terminal allows it): "+what))
}
