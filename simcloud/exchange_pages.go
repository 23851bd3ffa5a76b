package simcloud

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Paging of Exchange's admin endpoint. Undocumented: community clients of
// InvokeCommand send "Prefer: odata.maxpagesize=1000" and, while an answer
// carries @odata.nextLink, POST the same body to that address. The
// simulator pages every collection it answers that way (docs/scenarios.md).

// Page sizes: the most a client may ask for, and the simulator's own when
// it asks for none (Exchange's is not documented; a small one makes a
// client that does not follow the links fail in tests).
const (
	exchangeMaxPage     = 1000
	exchangeDefaultPage = 100
)

// exchangePage is which slice of a cmdlet's rows one request asks for.
type exchangePage struct {
	cmdlet string // lower-case: a link belongs to the cmdlet that made it
	start  int
	size   int
}

// exchangePageOf reads the page size from Prefer and the start from the
// link's $skiptoken; a token for another cmdlet, or forged, is refused.
func exchangePageOf(r *http.Request, cmdlet string) (exchangePage, *graphResponse) {
	p := exchangePage{cmdlet: strings.ToLower(cmdlet), size: exchangeDefaultPage}
	if n, ok := preferMaxPageSize(r.Header.Values("Prefer")); ok {
		p.size = n
	}
	tok := r.URL.Query().Get("$skiptoken")
	if tok == "" {
		return p, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	name, at, cut := strings.Cut(string(raw), ":")
	start, convErr := strconv.Atoi(at)
	if err != nil || !cut || convErr != nil || start < 0 || name != p.cmdlet {
		resp := graphResponse{status: http.StatusBadRequest, body: map[string]any{
			"error": map[string]any{"code": "BadRequest", "message": "The page token is not valid for this request."},
		}}
		return p, &resp
	}
	p.start = start
	return p, nil
}

// preferMaxPageSize finds odata.maxpagesize=N (spaces around '=' allowed,
// as clients send both) in the Prefer headers, within 1..exchangeMaxPage.
func preferMaxPageSize(values []string) (int, bool) {
	for _, v := range values {
		for _, pref := range strings.Split(v, ";") {
			for _, part := range strings.Split(pref, ",") {
				key, val, ok := strings.Cut(part, "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(key), "odata.maxpagesize") {
					continue
				}
				if n, err := strconv.Atoi(strings.TrimSpace(val)); err == nil && n > 0 {
					return min(n, exchangeMaxPage), true
				}
			}
		}
	}
	return 0, false
}

// cut keeps the page's rows of a collection answer and, when rows remain,
// adds @odata.nextLink to endpoint. Errors and single answers pass as they are.
func (p exchangePage) cut(resp graphResponse, endpoint string) graphResponse {
	body, ok := resp.body.(map[string]any)
	if !ok || resp.status != http.StatusOK {
		return resp
	}
	rows, ok := body["value"].([]map[string]any)
	if !ok {
		return resp
	}
	start := min(p.start, len(rows))
	end := min(start+p.size, len(rows))
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	out["value"] = rows[start:end]
	if end < len(rows) {
		tok := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d", p.cmdlet, end))
		out["@odata.nextLink"] = endpoint + "?" + url.Values{"$skiptoken": {tok}}.Encode()
	}
	resp.body = out
	return resp
}
