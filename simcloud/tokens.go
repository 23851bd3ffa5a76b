package simcloud

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"
)

// session is what an access or refresh token stands for.
type session struct {
	userID   string
	clientID string
	scopes   []string
	issued   time.Time // simulated time
	expires  time.Time // real time, so MSAL's own clock agrees
	claims   bool      // issued in answer to a claims challenge
	// audience is the resource the token is for: Graph, or Exchange
	// Online for SMTP.Send. Each refuses the other's tokens.
	audience string
}

// The resources simcloud issues tokens for.
const (
	audienceGraph    = "graph"
	audienceExchange = "exchange"
)

// audienceOf is the resource scopes ask for: Exchange Online for SMTP.Send,
// else Graph. ok is false when they name both: Entra issues a token for one
// resource at a time.
func audienceOf(scopes []string) (audience string, ok bool) {
	exchange, graph := false, false
	for _, s := range scopes {
		switch short := shortScope(s); {
		case strings.EqualFold(short, "SMTP.Send"), strings.EqualFold(short, exchangeScope):
			exchange = true
		case !slices.Contains([]string{"openid", "profile", "offline_access", "email"}, short):
			graph = true
		}
	}
	if exchange {
		return audienceExchange, !graph
	}
	return audienceGraph, true
}

// tokenStore maps opaque token strings to sessions.
type tokenStore struct {
	mu      sync.Mutex
	access  map[string]*session
	refresh map[string]*session
}

func (t *tokenStore) init() {
	t.access = map[string]*session{}
	t.refresh = map[string]*session{}
}

func newOpaqueToken(prefix string) string {
	b := make([]byte, 24)
	rand.Read(b) // never fails since Go 1.24
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// issue stores a session and returns its access and refresh tokens.
func (t *tokenStore) issue(s *session) (access, refresh string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	access, refresh = newOpaqueToken("simAT."), newOpaqueToken("simRT.")
	t.access[access] = s
	t.refresh[refresh] = s
	return access, refresh
}

// bearer returns the live session of an access token.
func (t *tokenStore) bearer(token string) (*session, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.access[token]
	if !ok || time.Now().After(s.expires) {
		return nil, false
	}
	return s, true
}

// redeem returns the session of a refresh token; refresh tokens are reusable
// until revoked, as Entra's are.
func (t *tokenStore) redeem(token string) (*session, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.refresh[token]
	return s, ok
}

// hasScope reports whether the session was granted any of the scopes.
func (s *session) hasScope(any ...string) bool {
	for _, want := range any {
		if slices.ContainsFunc(s.scopes, func(have string) bool { return strings.EqualFold(have, want) }) {
			return true
		}
	}
	return false
}

// clientInfo is Entra's client_info: the account's object and tenant ids.
func clientInfo(oid, tid string) string {
	b, _ := json.Marshal(map[string]string{"uid": oid, "utid": tid})
	return base64.RawURLEncoding.EncodeToString(b)
}

// userCode makes a nine-character device code like Entra's (no 0/O/1/I).
func userCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 9)
	rand.Read(b) // never fails since Go 1.24
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// deviceCodes tracks pending device-code sign-ins.
type deviceCodes struct {
	mu           sync.Mutex
	codes        map[string]*deviceCodeState // by device_code
	pendingPolls int
}

type deviceCodeState struct {
	userCode string
	clientID string
	scopes   []string
	created  time.Time
	expires  time.Time
	approved bool
	// approvedBy is the UPN of the person who approved the code.
	approvedBy string
}

func (d *deviceCodes) add(c *deviceCodeState) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.codes == nil {
		d.codes = map[string]*deviceCodeState{}
	}
	id := newOpaqueToken("simDC.")
	d.codes[id] = c
	return id
}

func (d *deviceCodes) get(id string) (*deviceCodeState, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.codes[id]
	return c, ok
}

func (d *deviceCodes) remove(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.codes, id)
}

// ApproveDeviceCodes approves every pending device code, as if the person
// at the browser (see SetPerson) entered it and signed in. It returns how
// many it approved.
func (s *Server) ApproveDeviceCodes() int {
	person := s.Person()
	s.codes.mu.Lock()
	defer s.codes.mu.Unlock()
	n := 0
	for _, c := range s.codes.codes {
		if !c.approved {
			c.approved, c.approvedBy = true, person
			n++
		}
	}
	return n
}

// userCodeOutcome is what entering a user code on the device login page did.
type userCodeOutcome int

const (
	codeUnknown userCodeOutcome = iota
	codeApproved
	codeExpired
)

// approveUserCode approves the pending device code whose user code was
// entered, as the person signing in at verification_uri does.
func (d *deviceCodes) approveUserCode(entered, person string, now time.Time) userCodeOutcome {
	d.mu.Lock()
	defer d.mu.Unlock()
	entered = normalizeUserCode(entered)
	for _, c := range d.codes {
		if entered == "" || c.userCode != entered {
			continue
		}
		if now.After(c.expires) {
			return codeExpired
		}
		c.approved, c.approvedBy = true, person
		return codeApproved
	}
	return codeUnknown
}

// PendingPolls counts the token requests answered "authorization_pending",
// so tests can wait until a client is polling rather than for a duration.
func (s *Server) PendingPolls() int {
	s.codes.mu.Lock()
	defer s.codes.mu.Unlock()
	return s.codes.pendingPolls
}

// approvedNow reports whether a device code is approved, approving it as the
// person at the browser once the configured delay has passed.
func (s *Server) approvedNow(c *deviceCodeState) bool {
	person := s.Person()
	s.codes.mu.Lock()
	defer s.codes.mu.Unlock()
	if !c.approved && s.opts.ApproveAfter > 0 && s.Now().Sub(c.created) >= s.opts.ApproveAfter {
		c.approved, c.approvedBy = true, person
	}
	if !c.approved {
		s.codes.pendingPolls++
	}
	return c.approved
}

func traceIDs() (trace, correlation string) {
	return stableID(newOpaqueToken("t")), stableID(newOpaqueToken("c"))
}

// isGUID reports whether s has the 8-4-4-4-12 hex shape of a GUID.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !strings.ContainsRune("0123456789abcdefABCDEF", c):
			return false
		}
	}
	return true
}
