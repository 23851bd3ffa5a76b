package termsafe

import "testing"

// The full screen keeps the OSC 8 links it draws around https addresses,
// and drops any other OSC, or a link to anything else.
func TestFrameKeepsOnlyHTTPSLinks(t *testing.T) {
	link := "\x1b]8;;https://mysignins.microsoft.com/security-info\x07text\x1b]8;;\x07"
	if got := Frame(link); got != link {
		t.Errorf("Frame(%q) = %q", link, got)
	}
	for _, bad := range []string{
		"\x1b]8;;file:///etc/passwd\x07text\x1b]8;;\x07",
		"\x1b]8;id=1;https://x.example/\x07text",
		"\x1b]8;;https://x.example/a b\x07text",
		"\x1b]52;c;aGVsbG8=\x07text",
		"\x1b]0;title\x07text",
	} {
		if got := Frame(bad); got != "text" && got != "text\x1b]8;;\x07" {
			t.Errorf("Frame(%q) = %q, want the text alone", bad, got)
		}
	}
	if got := Text(link); got != "text" {
		t.Errorf("Text(%q) = %q: plain output keeps no sequence", link, got)
	}
}
