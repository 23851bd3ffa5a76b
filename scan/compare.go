package scan

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Change is how an account moved since an earlier scan.
type Change string

// The changes --compare marks.
const (
	// ChangeNew: not in the earlier scan.
	ChangeNew Change = "new"
	// ChangeStartedFailing: failing now, not before.
	ChangeStartedFailing Change = "started failing"
	// ChangeRecovered: failing before, working now.
	ChangeRecovered Change = "recovered"
	// ChangeSilent: in the earlier scan, no legacy sign-in in this one (it
	// moved to OAuth, stopped, or broke before it could sign in).
	ChangeSilent Change = "went silent"
)

// Changes are the changes in the order the summary names them.
var Changes = []Change{ChangeStartedFailing, ChangeSilent, ChangeNew, ChangeRecovered}

// Previous is an earlier scan, as its JSON export (--json) holds it.
type Previous struct {
	From   time.Time     `json:"from"`
	To     time.Time     `json:"to"`
	Source Source        `json:"source"`
	Rows   []PreviousRow `json:"accountsByUrgency"`
}

// PreviousRow is one account of an earlier scan.
type PreviousRow struct {
	UPN         string    `json:"upn"`
	DisplayName string    `json:"displayName,omitempty"`
	Fate        Fate      `json:"fate"`
	LastLegacy  time.Time `json:"lastLegacySignIn"`
}

// ReadPrevious reads an earlier scan's JSON export.
func ReadPrevious(data []byte) (Previous, error) {
	var p struct {
		Previous
		Rows *[]PreviousRow `json:"accountsByUrgency"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return Previous{}, fmt.Errorf("the earlier scan is not an apppass scan --json export: %w", err)
	}
	if p.Rows == nil || p.To.IsZero() {
		return Previous{}, fmt.Errorf("the earlier scan is not an apppass scan --json export: it has no accountsByUrgency or to")
	}
	p.Previous.Rows = *p.Rows
	for i, r := range p.Previous.Rows {
		if r.UPN == "" {
			return Previous{}, fmt.Errorf("the earlier scan's account %d has no upn", i+1)
		}
	}
	if p.Source == "" {
		p.Source = SourceSignInLog // exports before the usage report existed
	}
	return p.Previous, nil
}

// Comparison is what changed since an earlier scan.
type Comparison struct {
	PreviousFrom time.Time      `json:"previousFrom"`
	PreviousTo   time.Time      `json:"previousTo"`
	Counts       map[Change]int `json:"counts"`
	// Silent are the earlier scan's accounts with no legacy sign-in now.
	Silent []PreviousRow `json:"silent"`
	// Note says what the comparison could not tell, if anything.
	Note string `json:"note,omitempty"`
}

// Attention reports changes a scheduled run should act on: an account
// that started failing, went silent or is new.
func (c *Comparison) Attention() bool {
	return c != nil && c.Counts[ChangeStartedFailing]+c.Counts[ChangeSilent]+c.Counts[ChangeNew] > 0
}

// Compare marks each account's change since prev and lists the accounts
// that went silent. An account is called silent only when this scan read
// the whole log: a gap, a stopped scan or the usage report could hide it.
func (r *Result) Compare(prev Previous) error {
	if prev.Source != r.Source {
		return fmt.Errorf("the earlier scan read the %s and this one the %s: they cannot be compared account by account", prev.Source, r.Source)
	}
	before := map[string]PreviousRow{}
	for _, p := range prev.Rows {
		before[strings.ToLower(p.UPN)] = p
	}
	c := &Comparison{PreviousFrom: prev.From, PreviousTo: prev.To, Counts: map[Change]int{}, Silent: []PreviousRow{}}
	now := map[string]bool{}
	for i := range r.Rows {
		row := &r.Rows[i]
		now[strings.ToLower(row.UPN)] = true
		p, seen := before[strings.ToLower(row.UPN)]
		switch {
		case !seen:
			row.Change = ChangeNew
		case row.Fate == FateFailing && p.Fate != FateFailing && p.Fate != FateCannotTell && p.Fate != "":
			row.Change = ChangeStartedFailing
		case p.Fate == FateFailing && (row.Fate == FateBreaks || row.Fate == FateWorksAfter):
			row.Change = ChangeRecovered
		}
		if row.Change != "" {
			c.Counts[row.Change]++
		}
	}
	if len(r.LogGaps) > 0 || r.Cancelled || r.Source == SourceUsageReport {
		c.Note = "accounts of the earlier scan not seen now are not called silent: this scan did not read the whole log"
	} else {
		for _, p := range prev.Rows {
			if !now[strings.ToLower(p.UPN)] {
				c.Silent = append(c.Silent, p)
			}
		}
		slices.SortFunc(c.Silent, func(a, b PreviousRow) int { return b.LastLegacy.Compare(a.LastLegacy) })
		c.Counts[ChangeSilent] = len(c.Silent)
	}
	r.Comparison = c
	return nil
}

// comparisonText is the comparison in one sentence, "" without one.
func (r Result) comparisonText() string {
	c := r.Comparison
	if c == nil {
		return ""
	}
	var parts []string
	for _, ch := range Changes {
		parts = append(parts, fmt.Sprintf("%d %s", c.Counts[ch], ch))
	}
	s := fmt.Sprintf(" Since the scan of %s: %s.", c.PreviousTo.UTC().Format(time.DateOnly), strings.Join(parts, ", "))
	if c.Note != "" {
		s += " (" + c.Note + ".)"
	}
	return s
}
