package termsafe

import (
	"strings"
	"testing"
	"unicode"
)

// hostileEndings are the case 1: an outside string that ends in an
// unterminated sequence. Before, each one swallowed everything after it.
var hostileEndings = map[string]string{
	"ESC ]":             "Megan\x1b]",
	"ESC ] with text":   "Megan\x1b]52;c;ZXZpbA==",
	"ESC P":             "Megan\x1bP",
	"ESC _":             "Megan\x1b_x",
	"ESC ^":             "Megan\x1b^",
	"ESC X":             "Megan\x1bX",
	"U+009D":            "Megan\u009d0;t",
	"U+0098":            "Megan\u0098",
	"U+0090":            "Megan\u0090",
	"U+009E":            "Megan\u009e",
	"U+009F":            "Megan\u009f",
	"lone ESC":          "Megan\x1b",
	"CSI cut":           "Megan\x1b[",
	"bidi override":     "Megan\u202e",
	"isolate left open": "Megan\u2066",
}

// A hostile string followed by apppass's own next line: the next line
// survives in Text, Frame and Clean, and nothing unsafe is left.
func TestUnterminatedSequencesCutNothing(t *testing.T) {
	for name, bad := range hostileEndings {
		doc := "Account: " + bad + "\nCan an app password fix this? No.\n"
		for fname, f := range map[string]func(string) string{"Text": Text, "Frame": Frame, "Clean": Clean} {
			got := f(doc)
			if !strings.Contains(got, "Can an app password fix this? No.") {
				t.Errorf("%s: %s cut the next line: %q", name, fname, got)
			}
			if c := firstUnsafe(got, fname == "Frame"); c != "" {
				t.Errorf("%s: %s left %q in %q", name, fname, c, got)
			}
		}
	}
}

// A lone ESC right before a line break used to eat the line break, gluing
// the next line to the outside string.
func TestLoneEscapeKeepsTheLineBreak(t *testing.T) {
	if got := Text("Megan\x1b\nVerdict"); got != "Megan\nVerdict" {
		t.Fatalf("Text = %q", got)
	}
}

func FuzzTextCutsNothing(f *testing.F) {
	for _, s := range hostileEndings {
		f.Add(s)
	}
	f.Add("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\")
	f.Fuzz(func(t *testing.T, bad string) {
		doc := "A: " + bad + "\nVERDICT LINE\n"
		for _, got := range []string{Text(doc), Frame(doc)} {
			if !strings.Contains(got, "VERDICT LINE") {
				t.Fatalf("the verdict line is gone: %q -> %q", doc, got)
			}
		}
		if c := firstUnsafe(Text(doc), false); c != "" {
			t.Fatalf("Text left %q", c)
		}
		one := Clean(bad)
		if c := firstUnsafe(one, false); c != "" || strings.ContainsAny(one, "\n\t") {
			t.Fatalf("Clean left %q in %q", c, one)
		}
		if Clean(one) != one {
			t.Fatalf("Clean is not idempotent on %q", bad)
		}
	})
}

// firstUnsafe is the first C0 (other than line break and tab), C1 or bidi
// control in s; with sgr, complete colour sequences are allowed.
func firstUnsafe(s string, sgr bool) string {
	for i, r := range s {
		if r == 0x1b && sgr {
			if n := escapeLen(s[i:]); isSGR(s[i : i+n]) {
				continue
			}
		}
		if r == '\n' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return string(r)
		}
	}
	return ""
}

// CleanAll reaches every exported string of a value, however nested.
func TestCleanAll(t *testing.T) {
	type status string
	type item struct {
		Name   string
		Kind   status
		Tags   []string
		Byname map[string]string
		Next   *item
		hidden string
	}
	bad := "x\x1b]52;c;e\a\u202ey"
	v := item{Name: bad, Kind: status(bad), Tags: []string{bad}, Byname: map[string]string{"k": bad},
		Next: &item{Name: bad}, hidden: bad}
	CleanAll(&v)
	for _, s := range []string{v.Name, string(v.Kind), v.Tags[0], v.Byname["k"], v.Next.Name} {
		if s != "xy" {
			t.Errorf("not cleaned: %q", s)
		}
	}
	if v.hidden != bad {
		t.Errorf("an unexported field was touched")
	}
	CleanAll(nil) // no panic
	CleanAll(v)   // not a pointer: nothing to do, no panic
}
