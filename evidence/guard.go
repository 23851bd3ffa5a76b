package evidence

import (
	"strings"
	"sync"
)

// LockoutWarning is said before the password check: every attempt counts
// toward smart lockout.
const LockoutWarning = "This makes one real sign-in with the account's regular password. Every attempt counts toward Entra ID's smart lockout, so apppass tries at most once per account and run. A wrong password here adds to the failed attempts the app is already making."

// PasswordGuard lets the regular-password check run at most once per
// account in a run.
type PasswordGuard struct {
	mu   sync.Mutex
	used map[string]bool
}

// Take reports whether the check may run for upn, and marks it used.
func (g *PasswordGuard) Take(upn string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	key := strings.ToLower(upn)
	if g.used[key] {
		return false
	}
	if g.used == nil {
		g.used = map[string]bool{}
	}
	g.used[key] = true
	return true
}

// Used reports whether the check already ran for upn in this run.
func (g *PasswordGuard) Used(upn string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.used[strings.ToLower(upn)]
}
