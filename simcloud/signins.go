package simcloud

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// signInPageSize is the sign-in log's default and largest $top, as
// Microsoft documents it (other collections page by 100).
const signInPageSize = 1000

// getSignIns answers GET /auditLogs/signIns: the rows the $filter keeps,
// newest first, a page at a time. The log is kept in time order, so a page
// costs a binary search and a walk over the rows it shows (and, with a
// user or client filter, those it skips), and JSON is built only for them.
func (s *Server) getSignIns(req *graphRequest) graphResponse {
	f, refused := parseSignInFilter(req.query.Get("$filter"), req.version == "beta")
	if refused != nil {
		return s.graphError(http.StatusBadRequest, refused.code, refused.message)
	}
	top, ok := signInTop(req.query.Get("$top"))
	if !ok {
		return s.graphError(http.StatusBadRequest, "Request_BadRequest",
			fmt.Sprintf("Invalid page size specified: '%s'. Must be between 1 and %d inclusive.", req.query.Get("$top"), signInPageSize))
	}
	after, ok := parseLogCursor(req.query.Get("$skiptoken"))
	if !ok {
		return s.graphError(http.StatusBadRequest, "Request_BadRequest", "The specified page token value has expired or is invalid.")
	}
	s.dir.mu.Lock()
	s.dir.runAppUntil(s.dir.now())
	page, more := s.dir.signInPage(f, after, top, s.dir.now())
	s.dir.mu.Unlock()
	body := signInPageBody{Context: s.context(req, "auditLogs/signIns"), Value: signInRows(page, req.version == "beta", req.unknownEnums, s.scenario.AppIPAddress, *s.scenario.AppLocation)}
	if more {
		q := req.query
		q.Set("$skiptoken", cursorOf(page[len(page)-1]).String())
		body.NextLink = req.base + "/" + req.version + "/" + strings.Join(req.segs, "/") + "?" + q.Encode()
	}
	return graphResponse{status: http.StatusOK, body: body}
}

// signInTop reads $top: 1 to 1000, 1000 when absent.
func signInTop(v string) (int, bool) {
	if v == "" {
		return signInPageSize, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1 && n <= signInPageSize
}

// signInPage returns up to top rows the filter keeps, newest first, from
// just after the cursor (nil: from the newest); more reports that others
// follow. Rows not yet visible at now (the log's delay) are not shown.
// Caller holds mu.
func (d *directory) signInPage(f signInFilter, after *logCursor, top int, now time.Time) (page []signInEntry, more bool) {
	lo, hi := f.window(d.signIns)
	if after != nil {
		hi = min(hi, after.position(d.signIns))
	}
	page = make([]signInEntry, 0, min(top, max(hi-lo, 0)))
	for i := hi - 1; i >= lo; i-- {
		if !f.matches(&d.signIns[i]) || d.signIns[i].Visible.After(now) {
			continue
		}
		if len(page) == top {
			return page, true
		}
		page = append(page, d.signIns[i])
	}
	return page, false
}

// logCursor is where a page of the log ended: its last row's time and
// sequence. Unlike an offset it stays right while new rows arrive.
type logCursor struct {
	created time.Time
	seq     int
}

// cursorOf is the cursor just after row e.
func cursorOf(e signInEntry) logCursor { return logCursor{created: e.Created, seq: e.Seq} }

// String is the cursor as an opaque $skiptoken.
func (c logCursor) String() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%d", c.created.UnixNano(), c.seq))
}

// parseLogCursor reads a $skiptoken; "" is no cursor, ok false a forged one.
func parseLogCursor(token string) (*logCursor, bool) {
	if token == "" {
		return nil, true
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	nanos, seq, found := strings.Cut(string(raw), ".")
	n, err1 := strconv.ParseInt(nanos, 10, 64)
	q, err2 := strconv.Atoi(seq)
	if err != nil || !found || err1 != nil || err2 != nil {
		return nil, false
	}
	return &logCursor{created: time.Unix(0, n).UTC(), seq: q}, true
}

// position is the index of the cursor's row in the time-ordered log: the
// next page is read from the rows before it.
func (c logCursor) position(log []signInEntry) int {
	key := signInEntry{Created: c.created, Seq: c.seq}
	return sort.Search(len(log), func(i int) bool { return logOrder(log[i], key) >= 0 })
}
