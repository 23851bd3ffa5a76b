package graphclient

import (
	"net/http"
	"time"
)

// retryWait decides whether a failed request is sent again and after how
// long: 429, 503 and 504, at most Retry.MaxRetries times, after Graph's
// Retry-After when it sends one. A 429 without one (Conditional Access
// sends none, Microsoft documents 1 request per second) waits the interval
// of the limit the request counts against; anything else without one
// waits 1 s, doubling. A wait longer than Retry.MaxWait is not sat out:
// the throttling error goes back to the caller. A 429 also blocks the
// pacer for that long, so the requests queued behind this one wait too.
func (c *Client) retryWait(err error, attempt int, price cost) (time.Duration, bool) {
	g, ok := asGraphError(err)
	if !ok || (g.Status != http.StatusTooManyRequests && g.Status != http.StatusServiceUnavailable && g.Status != http.StatusGatewayTimeout) {
		return 0, false
	}
	wait := g.RetryAfter
	if wait <= 0 && !g.retryAfterSent {
		wait = time.Second << min(attempt, 5)
		if g.Status == http.StatusTooManyRequests {
			for f, n := range price {
				if n > 0 {
					wait = max(familyLimits[f].interval, time.Second)
				}
			}
		}
	}
	if g.Status == http.StatusTooManyRequests {
		for f, n := range price {
			if n > 0 {
				c.pace.block(limitFamily(f), wait)
			}
		}
	}
	if attempt >= c.cfg.Retry.MaxRetries || wait > c.cfg.Retry.MaxWait {
		return 0, false
	}
	return wait, true
}
