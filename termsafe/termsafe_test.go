package termsafe

import (
	"bytes"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"plain":          {"Contoso Ltd", "Contoso Ltd"},
		"colour":         {"\x1b[31mred\x1b[0m", "red"},
		"OSC 52 (BEL)":   {"a\x1b]52;c;ZXZpbA==\x07b", "ab"},
		"OSC 52 (ST)":    {"a\x1b]52;c;ZXZpbA==\x1b\\b", "ab"},
		"title":          {"\x1b]0;owned\x07name", "name"},
		"8-bit CSI":      {"a\u009b2Jb", "ab"},
		"8-bit OSC":      {"a\u009d52;c;x\u009cb", "ab"},
		"reset":          {"a\x1bcb", "ab"},
		"DCS":            {"a\x1bPq#0\x1b\\b", "ab"},
		"lone ESC":       {"a\x1b", "a"},
		"bell, nul, del": {"a\x07\x00\x7fb", "ab"},
		"RLO":            {"admin\u202Etxt.exe", "admintxt.exe"},
		"isolates":       {"\u2066a\u2067b\u2068c\u2069", "abc"},
		"marks":          {"a\u200eb\u200fc\u061c", "abc"},
		"zero width":     {"a\u200bb\ufeff", "ab"},
		"line breaks":    {"a\r\nb\tc\u2028d", "a  b c d"},
		"bad UTF-8":      {"a\xffb", "a\ufffdb"},
		"unicode kept":   {"Zoë · 日本 ✓", "Zoë · 日本 ✓"},
		"cut-off CSI":    {"a\x1b[31", "a"},
		"CSI then ctl":   {"a\x1b[3\nb", "a b"},
	}
	for name, tc := range cases {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("%s: Clean(%q) = %q, want %q", name, tc.in, got, tc.want)
		}
	}
}

func TestTextKeepsLines(t *testing.T) {
	if got := Text("a\n\tb\x1b[2J\u202Ec\r"); got != "a\n\tbc " {
		t.Fatalf("Text = %q", got)
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	n, err := Writer(&buf).Write([]byte("x\x1b]52;c;AA==\x07y\n"))
	if err != nil || n != 15 || buf.String() != "xy\n" {
		t.Fatalf("wrote %d %v %q", n, err, buf.String())
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"\x1b[31mx", "\x1b]52;c;x\x07", "\u202e", "a\nb", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Clean(s), Text(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q", s)
			}
			for _, r := range out {
				if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
					t.Fatalf("%U survived in %q (from %q)", r, out, s)
				}
			}
		}
		if c := Clean(s); Clean(c) != c {
			t.Fatalf("Clean is not idempotent on %q", s)
		}
	})
}

func TestFrameKeepsOnlyColours(t *testing.T) {
	in := "\x1b[1;38;2;1:2:3mTitle\x1b[0m\n\x1b]52;c;AA==\x07\x1b[2J\x1b[?25l\u202Eok"
	if got, want := Frame(in), "\x1b[1;38;2;1:2:3mTitle\x1b[0m\nok"; got != want {
		t.Fatalf("Frame = %q, want %q", got, want)
	}
}
