package simcloud

import (
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"
)

// throttleFamily is one of Graph's documented service limits (Microsoft
// Graph throttling limits page; docs/scenarios.md quotes it).
type throttleFamily struct {
	name string
	// burst requests may come at once; one more each interval after.
	burst    int
	interval time.Duration
	// perApp: the budget is per app (client id) per tenant; otherwise per tenant.
	perApp bool
	// retryAfter: the 429 carries Retry-After. Conditional Access's do not.
	retryAfter bool
}

// The families simcloud throttles, always.
var (
	// Identity and access reports (signIn, auditLogRoot, authenticationMethod):
	// "5 requests per 10 seconds" per app per tenant.
	familyReports = throttleFamily{name: "identity and access reports", burst: 5, interval: 2 * time.Second, perApp: true, retryAfter: true}
	// Identity protection and Conditional Access (conditionalAccessPolicy,
	// namedLocation): "1 request per second" per tenant, with no Retry-After.
	familyConditionalAccess = throttleFamily{name: "conditional access", burst: 1, interval: time.Second}
)

// throttleFamilyOf is the family a route's requests count against, if any.
func throttleFamilyOf(route, method string) (throttleFamily, bool) {
	switch {
	case route == "signIns":
		return familyReports, true
	case route == "authMethods" && method == http.MethodGet:
		return familyReports, true
	case route == "caPolicies" || route == "namedLocations":
		return familyConditionalAccess, true
	}
	return throttleFamily{}, false
}

// bucketKey names one budget: a family, a tenant and (per app) a client.
type bucketKey struct {
	family, client string
}

// bucket is a token bucket on the simulated clock: tokens at the time at.
type bucket struct {
	tokens float64
	at     time.Time
}

// throttles holds the server's buckets.
type throttles struct {
	mu      sync.Mutex
	buckets map[bucketKey]*bucket
}

// take spends one request of family f for client at now. When none is
// left it returns how long until one is.
func (t *throttles) take(f throttleFamily, client string, now time.Time) (wait time.Duration, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buckets == nil {
		t.buckets = map[bucketKey]*bucket{}
	}
	key := bucketKey{family: f.name}
	if f.perApp {
		key.client = client
	}
	b := t.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(f.burst), at: now}
		t.buckets[key] = b
	}
	if now.After(b.at) {
		b.tokens = math.Min(float64(f.burst), b.tokens+float64(now.Sub(b.at))/float64(f.interval))
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return time.Duration((1 - b.tokens) * float64(f.interval)), false
}

// throttle answers 429 when the request's family has no budget left, as
// Graph does: with Retry-After (whole seconds, rounded up) where Microsoft
// sends it, without for Conditional Access.
func (s *Server) throttle(req *graphRequest, route string) (graphResponse, bool) {
	f, ok := throttleFamilyOf(route, req.method)
	if !ok {
		return graphResponse{}, false
	}
	wait, ok := s.limits.take(f, req.caller.clientID, s.Now())
	if ok {
		return graphResponse{}, false
	}
	s.throttled.Add(1)
	resp := s.graphError(http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
	if f.retryAfter {
		resp.header = http.Header{"Retry-After": {fmt.Sprint(int(math.Ceil(wait.Seconds())))}}
	}
	return resp, true
}

// Throttled counts the requests simcloud answered 429 for its service
// limits (not for a throttle fault), so tests can prove a client paced itself.
func (s *Server) Throttled() int { return int(s.throttled.Load()) }
