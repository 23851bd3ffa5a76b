package scan

import (
	"fmt"
	"strings"
	"time"
)

// Line is the progress in one line, the same in the table and on stderr:
// what has been read, the requests sent, the wait for Graph's limits and
// the least time left at Graph's documented pace.
func (p Progress) Line() string {
	var parts []string
	if p.Accounts == 0 {
		parts = append(parts, fmt.Sprintf("sign-in log: %d of %d queries, %d pages", p.Queries, p.QueriesTotal, p.Pages))
	} else {
		parts = append(parts, fmt.Sprintf("%d of %d accounts judged", p.Judged, p.Accounts))
	}
	if p.Requests > 0 {
		parts = append(parts, fmt.Sprintf("%d requests", p.Requests))
	}
	if p.Waited > 0 {
		parts = append(parts, "waited "+Duration(p.Waited)+" for Graph's limits")
	}
	if p.ETA > 0 {
		parts = append(parts, "at least "+Duration(p.ETA)+" left")
	}
	line := strings.Join(parts, " · ")
	if p.Simulated && (p.Waited > 0 || p.ETA > 0) {
		line += " (simulated time)"
	}
	return line
}

// Duration is a wait in words a person reads at a glance: 45 s, 3 min 20 s, 1 h 05 min.
func Duration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
}
