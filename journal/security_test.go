package journal

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// SECURITY.md names exactly the fields a journal record holds: a field
// added to Change fails this test until the page says so.
func TestSecurityPageNamesTheJournalFields(t *testing.T) {
	page, err := os.ReadFile("../SECURITY.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| Journal of tenant changes: per record exactly (.*?) \|`).FindSubmatch(page)
	if row == nil {
		t.Fatal("SECURITY.md has no journal row naming its fields")
	}
	var said []string
	for _, m := range regexp.MustCompile("`([a-zA-Z]+)`").FindAllSubmatch(row[1], -1) {
		said = append(said, string(m[1]))
	}
	var kept []string
	ct := reflect.TypeFor[Change]()
	for i := range ct.NumField() {
		name, _, _ := strings.Cut(ct.Field(i).Tag.Get("json"), ",")
		kept = append(kept, name)
	}
	slices.Sort(said)
	slices.Sort(kept)
	if strings.Join(said, " ") != strings.Join(kept, " ") {
		t.Fatalf("SECURITY.md names %v; a record holds %v", said, kept)
	}
}
