// Package termsafe makes text that came from outside apppass (Graph,
// scenario files, pasted text, SMTP replies, UPNs) safe to show on a
// terminal: no control characters, no escape sequences, no bidirectional
// overrides that make text read other than it is. It imports nothing.
package termsafe

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s as one line safe for a terminal: escape sequences and
// control characters are removed (tabs and line breaks become spaces),
// bidirectional controls are removed and invalid UTF-8 becomes U+FFFD.
func Clean(s string) string { return clean(s, false, false) }

// Text is Clean for a multi-line document apppass rendered itself: line
// breaks and tabs stay, everything else Clean removes is removed.
func Text(s string) string { return clean(s, true, false) }

// Frame is Text for a full-screen frame: apppass's own colours (SGR
// sequences, ESC [ ... m) stay, every other sequence and control goes, so
// an outside string that slipped into a view still cannot move the cursor,
// set the title or write the clipboard.
func Frame(s string) string { return clean(s, true, true) }

func clean(s string, keepLines, keepSGR bool) string {
	if !keepSGR && safe(s, keepLines) {
		return s // the common case costs no allocation
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(unicode.ReplacementChar)
		case r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f:
			n := escapeLen(s[i:])
			if keepSGR && (isSGR(s[i:i+n]) || isLink(s[i:i+n])) {
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == '\n' || r == '\t' || r == '\r' || r == 0x2028 || r == 0x2029:
			b.WriteByte(' ')
		case unwanted(r):
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// safe reports that s needs no change.
func safe(s string, keepLines bool) bool {
	for _, r := range s {
		if r == utf8.RuneError || unwanted(r) || r == '\r' || r == 0x2028 || r == 0x2029 {
			return false
		}
		if (r == '\n' || r == '\t') && !keepLines {
			return false
		}
	}
	return true
}

// unwanted are the characters dropped outright: C0 and C1 controls (and
// DEL), bidirectional controls (U+061C, U+200E/F, U+202A–E, U+2066–9) and
// other invisible format characters that could hide or reorder text.
func unwanted(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) ||
		r == 0x200B || r == 0x2060 || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB)
}

// escapeLen is the length of the escape or control sequence at the start
// of s (ESC or an 8-bit introducer), so the whole sequence is dropped and
// not only its first byte.
func escapeLen(s string) int {
	r, n := utf8.DecodeRuneInString(s)
	kind := r
	if r == 0x1b {
		if len(s) < 2 {
			return n
		}
		switch s[1] {
		case '[':
			kind = 0x9b
		case ']':
			kind = 0x9d
		case 'P', 'X', '^', '_':
			kind = 0x90
		default:
			if s[1] < 0x20 || s[1] >= 0x7f {
				return n // a lone ESC: what follows is judged on its own
			}
			return n + 1 // a two-character sequence such as ESC c
		}
		n++
	}
	if kind == 0x9b { // CSI: parameters and intermediates, then one final byte
		for i := n; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
			if s[i] < 0x20 || s[i] >= 0x7f {
				return i // not a sequence after all: the byte is judged on its own
			}
		}
		return len(s)
	}
	// OSC, DCS, SOS, PM, APC: a string up to BEL, ST (ESC \) or U+009C.
	// One that is not terminated before a line break, another control or
	// the end loses only its introducer: an unterminated sequence in one
	// outside string must never swallow what follows it.
	for i := n; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c:
			return i + 2
		case s[i] < 0x20 || s[i] == 0x7f || (s[i] == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f):
			return n
		}
	}
	return n
}

// isSGR reports a complete 7-bit Select Graphic Rendition sequence.
func isSGR(seq string) bool {
	if len(seq) < 3 || seq[0] != 0x1b || seq[1] != '[' || seq[len(seq)-1] != 'm' {
		return false
	}
	for i := 2; i < len(seq)-1; i++ {
		if c := seq[i]; (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}

// isLink reports an OSC 8 hyperlink the full screen draws around an
// address (steps' copyable tokens): no parameters, and an https address of
// printable ASCII without spaces or quotes, or the empty address that ends
// a link. Anything else in an OSC, such as a title or a clipboard write, is
// dropped as before.
func isLink(seq string) bool {
	body, ok := strings.CutPrefix(seq, "\x1b]8;;")
	if !ok {
		return false
	}
	switch {
	case strings.HasSuffix(body, "\x07"):
		body = body[:len(body)-1]
	case strings.HasSuffix(body, "\x1b\\"):
		body = body[:len(body)-2]
	default:
		return false
	}
	if body == "" {
		return true
	}
	if !strings.HasPrefix(body, "https://") && !strings.HasPrefix(body, "http://127.0.0.1:") {
		return false
	}
	for i := 0; i < len(body); i++ {
		if c := body[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\' {
			return false
		}
	}
	return true
}

// Writer wraps w so that everything written through it passes Text. A
// write is cleaned on its own, so a sequence split across writes is
// cleaned in pieces; callers write whole documents.
func Writer(w io.Writer) io.Writer { return textWriter{w} }

type textWriter struct{ w io.Writer }

func (t textWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(t.w, Text(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
