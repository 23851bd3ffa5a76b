package steps

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap fits text to width cells, breaking lines only at spaces: never
// inside a word, so a command (Set-TransportConfig), an address or a code
// stays whole for the mouse to copy. Lipgloss and x/ansi also break at
// hyphens and hard-break long words, which turned `Set-TransportConfig`
// into `Set-` / `TransportConfig`. A word wider than the width keeps a line
// of its own, wider than the width: Cut shortens it at the frame's edge.
// Lines that fit are returned as they are, which keeps a frame cheap.
func Wrap(text string, width int) string {
	if width < 1 {
		return text
	}
	lines := strings.Split(text, "\n")
	changed := false
	for i, line := range lines {
		if ansi.StringWidth(line) <= width {
			continue
		}
		lines[i], changed = wrapLine(line, width), true
	}
	if !changed {
		return text
	}
	return strings.Join(lines, "\n")
}

// wrapLine breaks one line at spaces. Its leading spaces (an indent) start
// every line it becomes, so a list item's continuation stays under it
// (unless the indent would leave less than half the width); runs of spaces
// inside a line are kept where no break falls.
func wrapLine(line string, width int) string {
	body := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(body)]
	hang := indent
	if len(hang)*2 > width {
		hang = ""
	}
	var b strings.Builder
	cur, curWidth, bare := indent, len(indent), true // bare: no word on the line yet
	for _, word := range strings.Split(body, " ") {
		w := ansi.StringWidth(word)
		switch {
		case bare && word == "":
			// no spaces at the start of a line
		case bare:
			cur, curWidth, bare = cur+word, curWidth+w, false
		case curWidth+1+w <= width:
			cur, curWidth = cur+" "+word, curWidth+1+w
		case w == 0:
			// a space at the break is dropped
		default:
			b.WriteString(strings.TrimRight(cur, " ") + "\n")
			cur, curWidth = hang+word, len(hang)+w
		}
	}
	b.WriteString(cur)
	return b.String()
}

// Fit is Cut(Wrap(text, width), width) in one pass, measuring each line
// once: what the wizard does to every frame's body.
func Fit(text string, width int) string {
	if width < 2 {
		return text
	}
	lines := strings.Split(text, "\n")
	changed := false
	for i, line := range lines {
		if ansi.StringWidth(line) <= width {
			continue
		}
		changed = true
		pieces := strings.Split(wrapLine(line, width), "\n")
		for j, p := range pieces {
			if ansi.StringWidth(p) > width {
				pieces[j] = ansi.Truncate(p, width, "…")
			}
		}
		lines[i] = strings.Join(pieces, "\n")
	}
	if !changed {
		return text
	}
	return strings.Join(lines, "\n")
}

// Cut shortens each line wider than width to width, ending it in a visible
// "…". Only a single word wider than the body is this long after Wrap: an
// address longer than the terminal. Cutting keeps it on one line where the
// full screen cannot show it whole (Bubble Tea clips at the edge; there is
// no soft wrap to copy across), and the whole token stays one key away: `c`
// copies it, and the OSC 8 link around it opens it where the terminal
// supports links. A hard wrap instead would copy as two broken pieces.
func Cut(text string, width int) string {
	if width < 2 || !wider(text, width) {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if ansi.StringWidth(line) > width {
			lines[i] = ansi.Truncate(line, width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

func wider(text string, width int) bool {
	for line := range strings.SplitSeq(text, "\n") {
		if ansi.StringWidth(line) > width {
			return true
		}
	}
	return false
}

// copyable finds the commands and addresses in a text: https addresses,
// PowerShell commands with parameters (Set-CASMailbox -Identity <upn> ...)
// and apppass's own commands with flags.
var copyable = regexp.MustCompile(`https?://[^\s\x1b"'<>()]*[^\s\x1b"'<>().,;:]` +
	`|\b[A-Z][a-z]+-[A-Za-z]+(?: -[A-Za-z]+(?: ` + argument + `)?)+` +
	`|\bapppass [a-z]+(?: --[a-z-]+(?: ` + argument + `)?)+`)

// argument is a parameter's value: $true, a <placeholder>, or a word such
// as an address or a duration (never starting with -, which is the next
// parameter, nor ending in the sentence's punctuation).
const argument = `(?:\$[a-z]+|<[a-z]+>|[A-Za-z0-9][A-Za-z0-9@._-]*[A-Za-z0-9]|[A-Za-z0-9])`

// Tokens are the commands and addresses in text (ANSI removed), in order,
// each once: what `c` copies.
func Tokens(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range copyable.FindAllString(ansi.Strip(text), -1) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// token is a command or an address on a line of its own, in the link
// style, indented when it fits with the indent, cut at the body's edge when
// it does not fit at all (see Cut); an address is wrapped in an OSC 8 link
// so that it opens whole where the terminal supports links (termsafe.Frame
// lets only such https links through).
func (c *Common) token(t string) string { return c.tokenAt(t, c.width()) }

func (c *Common) tokenAt(t string, width int) string {
	c.Shown = append(c.Shown, t)
	style := c.Styles.URL
	if strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "http://") {
		style = style.Hyperlink(t)
	}
	// Measured and cut before it is styled: a sign-in address is hundreds
	// of characters, and measuring it styled cost a fifth of a frame.
	w := textWidth(t)
	indent := "  "
	if w+len(indent) > width {
		indent = ""
	}
	shown := t
	if w > width && width > 1 {
		shown = ansi.Truncate(t, width, "…")
	}
	return indent + style.Render(shown)
}

// textWidth is a plain string's width in cells, without the grapheme
// walk for plain ASCII (every address and command).
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

func (c *Common) width() int {
	if c.Width <= 0 {
		return 76
	}
	return c.Width
}

// ownLines puts every command and address of a text on a line of its own
// (token), the prose around it wrapped as usual; the comma, semicolon, dash
// or full stop that followed the token is dropped with it (the line ends
// there), and an opening parenthesis before it moves after it.
func (c *Common) ownLines(text string, width int) string {
	found := copyable.FindAllStringIndex(text, -1)
	if found == nil {
		return text
	}
	var b strings.Builder
	at := 0
	for _, m := range found {
		before := strings.TrimRight(text[at:m[0]], " ")
		// "the test (apppass diagnose --test-smtp, or ...)" reads as
		// "the test", the command, "(or ...)".
		before, paren := strings.CutSuffix(before, "(")
		before = strings.TrimRight(before, " ")
		b.WriteString(before)
		if before != "" && !strings.HasSuffix(before, "\n") {
			b.WriteString("\n")
		}
		b.WriteString(c.tokenAt(text[m[0]:m[1]], width))
		rest := strings.TrimLeft(text[m[1]:], " ,;.—")
		if rest != "" && !strings.HasPrefix(rest, "\n") {
			b.WriteString("\n")
		}
		if paren {
			if strings.HasPrefix(rest, ")") {
				rest = strings.TrimLeft(rest[1:], " ,;")
			} else {
				b.WriteString("(")
			}
		}
		at = len(text) - len(rest)
	}
	b.WriteString(text[at:])
	return b.String()
}
