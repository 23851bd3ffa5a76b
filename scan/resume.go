package scan

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Partial is a stopped scan's --json export, to go on from (--resume):
// its window and the accounts it judged.
type Partial struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Rows []Row     `json:"accountsByUrgency"`
}

// ReadPartial reads a scan's --json export to resume from.
func ReadPartial(data []byte) (Partial, error) {
	var p struct {
		Partial
		Rows   *[]Row `json:"accountsByUrgency"`
		Source Source `json:"source"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return Partial{}, fmt.Errorf("not an apppass scan --json export: %w", err)
	}
	if p.Rows == nil || p.To.IsZero() || !p.From.Before(p.To) {
		return Partial{}, fmt.Errorf("not an apppass scan --json export: it has no accountsByUrgency, or no from and to")
	}
	if p.Source == SourceUsageReport {
		return Partial{}, fmt.Errorf("a scan from the usage report is not resumed: run it again")
	}
	p.Partial.Rows = *p.Rows
	for i, r := range p.Partial.Rows {
		if r.UPN == "" {
			return Partial{}, fmt.Errorf("account %d of the export has no upn", i+1)
		}
	}
	return p.Partial, nil
}

// judgedBefore are the partial scan's rows by account.
func (p *Partial) judgedBefore() map[string]Row {
	out := map[string]Row{}
	if p == nil {
		return out
	}
	for _, r := range p.Rows {
		out[strings.ToLower(r.UPN)] = r
	}
	return out
}
