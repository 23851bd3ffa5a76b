package wizard

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apppass/apppass/flow"
	"github.com/apppass/apppass/internal/testkit"
	"github.com/apppass/apppass/journal"
	"github.com/apppass/apppass/simcloud"
	"github.com/charmbracelet/x/ansi"
)

// chooser answers plain mode's questions as a walk's choices: each yes/no
// question takes the next choice of the pattern (repeated), the export
// is always taken, every other question takes its default.
type chooser struct {
	pattern string // of 'y' and 'n'
	n       int
	asked   int
}

func (c *chooser) Line(q string) (string, error) {
	c.asked++
	if c.asked > 200 {
		return "", fmt.Errorf("more than 200 questions: a loop")
	}
	switch {
	case strings.HasPrefix(q, "Export the report"):
		return "y", nil
	case strings.HasPrefix(q, "Is it an account you administer"):
		return "y", nil // the admin's path has the writes
	case strings.HasSuffix(q, "[y/N] "):
		choice := c.pattern[c.n%len(c.pattern)]
		c.n++
		return string(choice), nil
	}
	return "", nil
}

func (c *chooser) Secret(string) (string, error) { return "", nil }

// endingOfJournal is the exit status the journal file's records call
// for: a change left unknown, else one that failed, else none.
func endingOfJournal(t *testing.T, path string) error {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var unsure, failed bool
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var ch journal.Change
		if err := json.Unmarshal(sc.Bytes(), &ch); err != nil {
			t.Fatalf("journal line %q: %v", sc.Text(), err)
		}
		unsure = unsure || (ch.Outcome == journal.Unknown && ch.Kind != journal.AppSignIn)
		failed = failed || ch.Outcome == journal.Failed
	}
	switch {
	case unsure:
		return flow.ErrChangeUnsure
	case failed:
		return flow.ErrChangeFailed
	}
	return nil
}

// landedInJournal is every change the journal file records as done.
func landedInJournal(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var ch journal.Change
		if err := json.Unmarshal(sc.Bytes(), &ch); err != nil {
			t.Fatalf("journal line %q: %v", sc.Text(), err)
		}
		if ch.Outcome == journal.Done && ch.Kind != journal.AppSignIn {
			out = append(out, flow.ChangeLine(ch))
		}
	}
	return out
}

// Issue 21, item 7: for every shipped scenario, walked with the choices
// the stages offer, the summary's changes made are the journal's landed
// writes, and so are the exported report's (Markdown and JSON). By
// default a slice of scenarios and patterns runs; APPPASS_MATRIX=1 walks
// every scenario with every pattern.
func TestEveryEndingIsTheJournal(t *testing.T) {
	all, err := simcloud.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	patterns := []string{"y", "n", "yn", "ny", "yyn", "nny", "yny", "nyy"}
	for i, sc := range all {
		for j, pattern := range patterns {
			if !testkit.Exhaustive() && (i+j)%7 != 0 {
				continue // a diagonal slice: each scenario, and each pattern, at least once
			}
			t.Run(sc.Name+"/"+pattern, func(t *testing.T) {
				l := &testLauncher{t: t, dir: t.TempDir(), export: true}
				var out bytes.Buffer
				// The walk's exit status is the journal's too.
				err := RunPlain(testkit.Context(t), l, sc.Name, &chooser{pattern: pattern}, &out)
				if want := endingOfJournal(t, filepath.Join(l.dir, "journal.jsonl")); !errors.Is(err, want) {
					t.Fatalf("the walk ended with %v, the journal calls for %v\n%s", err, want, out.String())
				}
				landed := landedInJournal(t, filepath.Join(l.dir, "journal.jsonl"))
				var summary []string
				at := strings.LastIndex(out.String(), "== Summary") // after an undo, the record is said again
				if at < 0 {
					t.Fatalf("no summary:\n%s", out.String())
				}
				last := out.String()[at:]
				for _, line := range strings.Split(last, "\n") {
					if c, ok := strings.CutPrefix(line, "Changes made: "); ok && c != "none." {
						c, _, _ = strings.Cut(c, " — ")
						summary = append(summary, c)
					}
				}
				if !slices.Equal(summary, landed) {
					t.Fatalf("summary's changes %q, journal's landed %q\n%s", summary, landed, out.String())
				}
				if !strings.Contains(out.String(), "Exported: ") {
					return // a walk that ends before the summary's questions (no diagnosis)
				}
				md, run, _ := exported(t, l.dir)
				made, _, _ := strings.Cut(strings.SplitN(md, "## Changes made", 2)[1], "\n## ")
				if got := strings.Count(made, "\n- "); got != len(landed) {
					t.Fatalf("the report lists %d changes made, the journal %d:\n%s", got, len(landed), md)
				}
				if len(run["changesMade"]) != len(landed) {
					t.Fatalf("the JSON lists %d changes made, the journal %d", len(run["changesMade"]), len(landed))
				}
			})
		}
	}
}

// walkFullScreen walks the full-screen wizard from the diagnosis to the
// summary with a pattern of choices at each confirmation: y, n, or b (yes,
// then esc back over the screen before enter, once a walk, then yes).
func walkFullScreen(h *harness, pattern string) {
	h.t.Helper()
	h.toDiagnosis()
	n, backed := 0, false
	for range 80 {
		if id := h.m.current.ID(); id == flow.IDWaitApp || id == flow.IDTestOAuth {
			h.press("s") // before settling: the watch would read on
			h.settle()
			continue
		}
		h.settle()
		if h.m.current == nil || h.m.current.ID() == flow.IDSummary {
			return
		}
		switch id := h.m.current.ID(); {
		case id == flow.IDWaitApp || id == flow.IDTestOAuth:
			h.press("s")
		case strings.Contains(h.frame(), "[y/N]"):
			choice := pattern[n%len(pattern)]
			n++
			if choice == 'b' && backed {
				choice = 'y'
			}
			if choice == 'b' {
				backed = true
				h.press("y")
				h.settle()
				h.press("esc")
				continue
			}
			h.press(string(choice))
		default:
			h.press("enter")
		}
	}
	h.t.Fatalf("the walk did not reach the summary:\n%s", h.frame())
}

// fullScreenSlice is what runs by default, two walks of about a second
// each (the harness waits out each screen's commands): a back over a write
// (issue 21's case 1), and the remedy after a back (case 6). The plain
// walks cover the patterns; APPPASS_MATRIX=1 walks every scenario here too.
var fullScreenSlice = []string{"classic/b", "option-missing/by", "mailbox-smtp-off/y"}

// Item 7 in full screen: walked with yes, no and back, the summary's
// changes made are the journal's landed writes. A slice of scenarios by
// default; every scenario with five patterns under APPPASS_MATRIX=1.
func TestFullScreenEndingIsTheJournal(t *testing.T) {
	all, err := simcloud.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	// Yes, no, back over the first write, yes then no, back then yes: a
	// walk takes about a second on the simulator's clock; the plain walks
	// take the longer patterns.
	patterns := []string{"y", "n", "b", "yn", "by"}
	for _, sc := range all {
		for _, pattern := range patterns {
			if !testkit.Exhaustive() && !slices.Contains(fullScreenSlice, sc.Name+"/"+pattern) {
				continue // a slice: the walks with a write, a back and a decline
			}
			t.Run(sc.Name+"/"+pattern, func(t *testing.T) {
				h := newHarnessWith(t, &testLauncher{t: t, dir: t.TempDir(), clock: simcloud.NewManualClock(sc.AsOfTime())}, sc.Name)
				walkFullScreen(h, pattern)
				landed := landedInJournal(t, filepath.Join(h.launcher.dir, "journal.jsonl"))
				body := ansi.Strip(h.m.body.GetContent())
				var section []string
				for _, line := range strings.Split(body[strings.Index(body, "Changes made"):], "\n")[1:] {
					if strings.TrimSpace(line) == "" {
						break // the section's end
					}
					section = append(section, line)
				}
				folded := strings.Join(strings.Fields(strings.Join(section, " ")), " ") // lines wrap at the width
				if n := strings.Count(folded, " · "); n != len(landed) {
					t.Fatalf("the summary lists %d changes made, the journal %d: %q\n%s", n, len(landed), landed, body)
				}
				for _, l := range landed {
					if !strings.Contains(folded, l) {
						t.Fatalf("the summary lacks the journal's %q:\n%s", l, body)
					}
				}
			})
		}
	}
}
