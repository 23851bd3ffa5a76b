package simcloud

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind names a misbehaviour simcloud can put on an endpoint.
type FaultKind string

// The faults simcloud can inject.
const (
	FaultLatency            FaultKind = "latency"              // wait Delay, then answer normally
	FaultThrottle           FaultKind = "throttle"             // 429 with Retry-After
	FaultUnavailable        FaultKind = "unavailable"          // 503 with Retry-After
	FaultHang               FaultKind = "hang"                 // never answer (until the client gives up)
	FaultDrop               FaultKind = "drop"                 // close the connection without an answer
	FaultMalformed          FaultKind = "malformed"            // 200 with a body that is not JSON
	FaultEmptyError         FaultKind = "empty-error"          // 500 with an empty body
	FaultMissingRole        FaultKind = "missing-role"         // 403 Authorization_RequestDenied
	FaultMissingLicence     FaultKind = "missing-licence"      // 403 licence error
	FaultClaimsChallenge    FaultKind = "claims-challenge"     // 401 CAE challenge until a token carries claims
	FaultDeviceCodeDeclined FaultKind = "device-code-declined" // the person declines the sign-in
	FaultDeviceCodeExpired  FaultKind = "device-code-expired"  // the code expires before approval
	FaultCABlocksDeviceCode FaultKind = "ca-blocks-device-code"
	FaultSignInDeclined     FaultKind = "sign-in-declined" // the person declines consent on the authorize page
)

var faultKinds = []FaultKind{
	FaultLatency, FaultThrottle, FaultUnavailable, FaultHang, FaultDrop, FaultMalformed,
	FaultEmptyError, FaultMissingRole, FaultMissingLicence, FaultClaimsChallenge,
	FaultDeviceCodeDeclined, FaultDeviceCodeExpired, FaultCABlocksDeviceCode, FaultSignInDeclined,
}

// Fault is one injected misbehaviour. Endpoint is a route name (see Routes)
// or empty for every Graph endpoint; Times limits how many requests it hits
// (0: until cleared).
type Fault struct {
	Kind     FaultKind `json:"kind"`
	Endpoint string    `json:"endpoint,omitempty"`
	Times    int       `json:"times,omitempty"`
	// DelayMS is the extra wait of a latency fault, in milliseconds.
	DelayMS int `json:"delayMs,omitempty"`
}

// delay is the wait a latency fault adds (two seconds unless set).
func (f Fault) delay() time.Duration {
	if f.DelayMS <= 0 {
		return 2 * time.Second
	}
	return time.Duration(f.DelayMS) * time.Millisecond
}

func (f Fault) validate() error {
	known := false
	for _, k := range faultKinds {
		known = known || k == f.Kind
	}
	if !known {
		return fmt.Errorf("unknown fault %q", f.Kind)
	}
	if f.Endpoint != "" && !isRoute(f.Endpoint) {
		return fmt.Errorf("fault %s: unknown endpoint %q (known: %s)", f.Kind, f.Endpoint, strings.Join(Routes(), ", "))
	}
	if kinds := faultsOn(f.Endpoint); !slices.Contains(kinds, f.Kind) {
		return fmt.Errorf("fault %s does nothing on endpoint %s (there: %s)", f.Kind, f.Endpoint, kindNames(kinds))
	}
	if f.Times < 0 {
		return fmt.Errorf("fault %s: times must not be negative", f.Kind)
	}
	if f.DelayMS < 0 {
		return fmt.Errorf("fault %s: delayMs must not be negative", f.Kind)
	}
	return nil
}

// graphFaults are the faults a Graph endpoint answers with.
var graphFaults = []FaultKind{
	FaultLatency, FaultThrottle, FaultUnavailable, FaultHang, FaultDrop, FaultMalformed,
	FaultEmptyError, FaultMissingRole, FaultMissingLicence, FaultClaimsChallenge,
}

// faultsOn lists the kinds that take effect on an endpoint, so a fault
// that would silently do nothing is refused.
func faultsOn(endpoint string) []FaultKind {
	switch endpoint {
	case "":
		return faultKinds
	case "token":
		return []FaultKind{FaultUnavailable, FaultDeviceCodeDeclined, FaultDeviceCodeExpired, FaultCABlocksDeviceCode}
	case "devicecode":
		return []FaultKind{FaultUnavailable}
	case "authorize":
		return []FaultKind{FaultSignInDeclined}
	case exchangeRoute: // the Exchange admin endpoint: Graph's faults but licence and claims
		return []FaultKind{FaultLatency, FaultThrottle, FaultUnavailable, FaultHang, FaultDrop, FaultMalformed, FaultEmptyError, FaultMissingRole}
	case "batch": // the items inside a $batch take the Graph faults of their own routes
		return []FaultKind{FaultLatency, FaultHang, FaultDrop}
	}
	return graphFaults
}

func kindNames(kinds []FaultKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// maxFaultTimes bounds TIMES on the command line.
const maxFaultTimes = 1_000_000

// ParseFault reads the command-line form KIND[:ENDPOINT[:TIMES]]. TIMES is
// decimal digits only (0: until cleared): "3abc" or "0x10" is refused, not
// read as 3 or as "for ever".
func ParseFault(s string) (Fault, error) {
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return Fault{}, fmt.Errorf("fault %q: use KIND[:ENDPOINT[:TIMES]]", s)
	}
	f := Fault{Kind: FaultKind(parts[0])}
	if len(parts) > 1 {
		f.Endpoint = parts[1]
	}
	if len(parts) > 2 {
		n, err := strconv.Atoi(parts[2])
		if err != nil || strings.TrimLeft(parts[2], "0123456789") != "" || n > maxFaultTimes {
			return Fault{}, fmt.Errorf("fault %q: TIMES must be a whole number from 0 to %d, not %q", s, maxFaultTimes, parts[2])
		}
		f.Times = n
	}
	return f, f.validate()
}

// faultSet holds the active faults.
type faultSet struct {
	mu     sync.Mutex
	active []*Fault
}

func (s *faultSet) add(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active = append(s.active, &f)
}

func (s *faultSet) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active = nil
}

// take returns the first active fault of one of the kinds for this route,
// using up one of its times.
func (s *faultSet) take(route string, kinds ...FaultKind) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.active {
		if f.Endpoint != "" && f.Endpoint != route {
			continue
		}
		for _, k := range kinds {
			if f.Kind != k {
				continue
			}
			got := *f
			if f.Times > 0 {
				f.Times--
				if f.Times == 0 {
					s.active = append(s.active[:i], s.active[i+1:]...)
				}
			}
			return got, true
		}
	}
	return Fault{}, false
}
