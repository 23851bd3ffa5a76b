package wizard

import (
	"bufio"
	"bytes"
	"encoding/json"
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
				if err := RunPlain(testkit.Context(t), l, sc.Name, &chooser{pattern: pattern}, &out); err != nil {
					t.Fatalf("%v\n%s", err, out.String())
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
