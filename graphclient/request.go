package graphclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"
	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/apppass/apppass/termsafe"
)

// maxBody bounds what apppass reads of one Graph answer.
const maxBody = 8 << 20

// call is one Graph request: method, version (v1.0 or beta), a path below
// the version (already escaped), an optional query and an optional JSON body.
type call struct {
	method  abs.HttpMethod
	version string
	path    string
	query   url.Values
	body    any
	// unknownEnums sends "Prefer: include-unknown-enum-members", without
	// which Graph answers evolvable enums' newer members (the sign-in log's
	// report-only results among them) as unknownFutureValue.
	unknownEnums bool
	// cost, when set, is what the call counts against Graph's limits (a
	// $batch: its items'); otherwise its path decides.
	cost *cost
}

// preferUnknownEnums is the Prefer header value that asks Graph for every
// member of an evolvable enum.
const preferUnknownEnums = "include-unknown-enum-members"

// do sends a call through the request adapter and returns the raw answer.
// Everything (auth, retries, CAE re-tries, compression) runs in kiota's
// pipeline; only the body is read here, so that a status and request id
// survive an odd body.
func (c *Client) do(ctx context.Context, cl call) ([]byte, error) {
	if a, ok := prefetched(ctx, cl); ok {
		return a.body, a.err
	}
	u, err := url.Parse(c.cfg.Cloud.GraphRoot + "/" + cl.version + cl.path)
	if err != nil {
		return nil, fmt.Errorf("building the Graph URL: %w", err)
	}
	u.RawQuery = cl.query.Encode()
	price := costOfPath(cl.path)
	if cl.cost != nil {
		price = *cl.cost
	}
	return c.doURL(ctx, cl.method, u, cl.body, cl.unknownEnums, price)
}

// doURL sends one request within Graph's limits (the pacer) and sends it
// again when Graph throttles it or is briefly unavailable (retry.go).
func (c *Client) doURL(ctx context.Context, method abs.HttpMethod, u *url.URL, body any, unknownEnums bool, price cost) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		release, err := c.pace.acquire(ctx, price)
		if err != nil {
			return nil, err
		}
		data, err := c.sendOnce(ctx, method, u, body, unknownEnums)
		release()
		wait, again := c.retryWait(err, attempt, price)
		if !again {
			return data, err
		}
		if err := c.cfg.Wait(ctx, c.cfg.Clock().Add(wait)); err != nil {
			return nil, err
		}
	}
}

// sendOnce sends one request, once.
func (c *Client) sendOnce(parent context.Context, method abs.HttpMethod, u *url.URL, body any, unknownEnums bool) ([]byte, error) {
	c.requests.Add(1)
	// Our own client-request-id (Graph echoes it in errors) lets the
	// deadline know which call it bounds.
	requestID := uuid.NewString()
	ctx, cancel := c.cfg.Deadline(parent, requestID)
	defer cancel()
	ri := abs.NewRequestInformation()
	ri.Method = method
	ri.SetUri(*u)
	ri.Headers.TryAdd("Accept", "application/json")
	ri.Headers.TryAdd(clientRequestIDHeader, requestID)
	if unknownEnums {
		ri.Headers.TryAdd("Prefer", preferUnknownEnums)
	}
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		ri.SetStreamContentAndContentType(data, "application/json")
	}
	var out []byte
	handler := abs.NewRequestHandlerOption()
	handler.SetResponseHandler(func(response any, _ abs.ErrorMappings) (any, error) {
		resp, ok := response.(*http.Response)
		if !ok || resp == nil {
			return nil, fmt.Errorf("%w: empty response", ErrUnreachable)
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		if ctx.Err() != nil {
			// An answer that lands after apppass gave up is no answer: a
			// server cut off by our time-out may still send an empty 200.
			return nil, errNoAnswerInTime
		}
		if err != nil {
			return nil, fmt.Errorf("%w: the answer was cut off: %w", ErrUnreachable, err)
		}
		if resp.StatusCode >= 400 {
			return nil, parseGraphError(resp.StatusCode, resp.Header, data)
		}
		out = data
		return nil, nil
	})
	ri.AddRequestOptions([]abs.RequestOption{handler})
	if err := c.adapter.SendNoContent(ctx, ri, nil); err != nil {
		return nil, classify(parent, ctx, err)
	}
	return out, nil
}

// errNoAnswerInTime is a call whose deadline ended while its caller still waited.
var errNoAnswerInTime = fmt.Errorf("%w: Microsoft Graph did not answer in time", ErrUnreachable)

// classify keeps typed errors and marks transport failures as unreachable.
// The call's own deadline (ctx) ending while the caller (parent) still waits
// is "no answer in time"; the caller leaving is its own cancellation.
func classify(parent, ctx context.Context, err error) error {
	var g *GraphError
	switch {
	case errors.As(err, &g), errors.Is(err, ErrNotSignedIn), errors.Is(err, ErrUnreachable):
		return err
	case errors.Is(parent.Err(), context.Canceled):
		return parent.Err() // the caller left
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		return errNoAnswerInTime
	case isNetworkError(err) || strings.Contains(err.Error(), "EOF") || strings.Contains(err.Error(), "connection reset"):
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	return err
}

// getJSON fetches and decodes one object.
func (c *Client) getJSON(ctx context.Context, cl call, v any) error {
	cl.method = abs.GET
	data, err := c.do(ctx, cl)
	if err != nil {
		return err
	}
	return decode(data, v)
}

// decode reads a Graph answer into v and cleans every string in it
// (termsafe.CleanAll): this is where Graph's text enters apppass, so no
// display name, policy name or message reaches a renderer with a control
// character, an escape sequence or a bidi override in it.
func decode(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedResponse, err)
	}
	termsafe.CleanAll(v)
	return nil
}

// page is one page of a Graph collection.
type page[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink"`
}

// maxPages stops a collection that never ends (a server bug) from looping
// forever; the sign-in log of a large tenant, read per client app over 30
// days, may well have hundreds of pages of 1,000.
const maxPages = 10_000

// getAll fetches a collection, following @odata.nextLink as an opaque URL.
func getAll[T any](ctx context.Context, c *Client, cl call) ([]T, error) {
	var all []T
	err := eachPage(ctx, c, cl, func(p []T) { all = append(all, p...) })
	if err != nil {
		return nil, err
	}
	return all, nil
}

// eachPage fetches a collection a page at a time, following
// @odata.nextLink as an opaque URL, and hands each page's items to each.
func eachPage[T any](ctx context.Context, c *Client, cl call, each func([]T)) error {
	data, err := c.do(ctx, call{method: abs.GET, version: cl.version, path: cl.path, query: cl.query, unknownEnums: cl.unknownEnums})
	// A prefetched first page may link to more, which Graph then serves.
	last := ""
	for n := 0; ; n++ {
		if err != nil {
			return err
		}
		var p page[T]
		if err := decode(data, &p); err != nil {
			return err
		}
		each(p.Value)
		if p.NextLink == "" {
			return nil
		}
		if n >= maxPages {
			return fmt.Errorf("%w: more than %d pages", ErrMalformedResponse, maxPages)
		}
		next, perr := url.Parse(p.NextLink)
		if perr != nil || next.Scheme != "https" || p.NextLink == last {
			return fmt.Errorf("%w: bad @odata.nextLink", ErrMalformedResponse)
		}
		last = p.NextLink
		data, err = c.doURL(ctx, abs.GET, next, nil, cl.unknownEnums, costOfPath(strings.TrimPrefix(next.Path, "/"+cl.version)))
	}
}

// userPath addresses a user by object id or UPN. A UPN starting with $ must
// use the users('...') form, or Graph reads it as a system query option.
func userPath(idOrUPN string) string {
	if strings.HasPrefix(idOrUPN, "$") {
		return "/users('" + url.PathEscape(strings.ReplaceAll(idOrUPN, "'", "''")) + "')"
	}
	return "/users/" + url.PathEscape(idOrUPN)
}
