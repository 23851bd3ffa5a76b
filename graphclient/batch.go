package graphclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// maxBatch is Graph's limit of requests in one JSON $batch.
const maxBatch = 20

// batchRetries bounds how often one throttled item is sent again.
const batchRetries = 3

// answer is what Graph said to one call: its body, or its error.
type answer struct {
	body []byte
	err  error
}

// batchItem and batchReply are Graph's JSON $batch shapes.
type batchItem struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	URL    string `json:"url"`
}

type batchReply struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// relativeURL is a call's URL inside a batch: below the version, with its query.
func (cl call) relativeURL() string {
	if len(cl.query) == 0 {
		return cl.path
	}
	return cl.path + "?" + cl.query.Encode()
}

// key identifies a GET call, so a prefetched answer can stand in for it.
func (cl call) key() string { return cl.version + " " + cl.relativeURL() }

// runBatch sends up to 20 GET calls of one version as one $batch and
// returns each call's answer, in order. A throttled item comes back as its
// *GraphError with RetryAfter set, for the caller to send again.
func (c *Client) runBatch(ctx context.Context, version string, calls []call) ([]answer, error) {
	items := make([]batchItem, len(calls))
	var price cost
	for i, cl := range calls {
		items[i] = batchItem{ID: strconv.Itoa(i), Method: http.MethodGet, URL: cl.relativeURL()}
		for f, n := range costOfPath(cl.path) {
			price[f] += n
		}
	}
	data, err := c.do(ctx, call{method: abs.POST, version: version, path: "/$batch", body: map[string]any{"requests": items}, cost: &price})
	if err != nil {
		return nil, err
	}
	var out struct {
		Responses []batchReply `json:"responses"`
	}
	if err := decode(data, &out); err != nil {
		return nil, err
	}
	answers := make([]answer, len(calls))
	seen := make([]bool, len(calls))
	for _, r := range out.Responses {
		i, err := strconv.Atoi(r.ID)
		if err != nil || i < 0 || i >= len(calls) || seen[i] {
			return nil, fmt.Errorf("%w: a $batch answer with id %q", ErrMalformedResponse, r.ID)
		}
		seen[i] = true
		if r.Status >= 400 {
			h := http.Header{}
			for k, v := range r.Headers {
				h.Set(k, v)
			}
			answers[i] = answer{err: parseGraphError(r.Status, h, r.Body)}
			continue
		}
		answers[i] = answer{body: r.Body}
	}
	for i, ok := range seen {
		if !ok {
			answers[i] = answer{err: fmt.Errorf("%w: $batch left request %d unanswered", ErrMalformedResponse, i)}
		}
	}
	return answers, nil
}

// throttled reports an answer Graph asked to send again later, and when.
func (a answer) throttled() (time.Duration, bool) {
	if a.err == nil {
		return 0, false
	}
	g, ok := asGraphError(a.err)
	if !ok || (g.Status != http.StatusTooManyRequests && g.Status != http.StatusServiceUnavailable) {
		return 0, false
	}
	return g.RetryAfter, true
}

// batchUntilAnswered sends one batch's calls, sending the throttled items
// again after the longest Retry-After among them (at most batchRetries
// times, never past MaxWait), and returns the answers.
func (c *Client) batchUntilAnswered(ctx context.Context, version string, calls []call) []answer {
	answers := make([]answer, len(calls))
	pending := make([]int, len(calls))
	for i := range pending {
		pending[i] = i
	}
	for try := 0; len(pending) > 0; try++ {
		batch := make([]call, len(pending))
		for j, i := range pending {
			batch[j] = calls[i]
		}
		got, err := c.runBatch(ctx, version, batch)
		if err != nil {
			for _, i := range pending {
				answers[i] = answer{err: err}
			}
			return answers
		}
		var again []int
		var wait time.Duration
		for j, i := range pending {
			answers[i] = got[j]
			after, ok := got[j].throttled()
			if !ok {
				continue
			}
			if f, limited := familyOfPath(calls[i].path); limited {
				if after <= 0 {
					after = familyLimits[f].interval
				}
				c.pace.block(f, after)
			}
			if try < batchRetries && after <= c.cfg.Retry.MaxWait {
				again, wait = append(again, i), max(wait, after)
			}
		}
		if len(again) > 0 {
			if err := c.cfg.Wait(ctx, c.cfg.Clock().Add(wait)); err != nil {
				return answers
			}
		}
		pending = again
	}
	return answers
}
