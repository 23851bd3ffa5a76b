package simcloud

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// directory is the simulated tenant's live state. Every field is guarded by mu.
type directory struct {
	mu        sync.Mutex
	sc        *Scenario
	now       func() time.Time
	users     map[string]*userState // by object id
	byName    map[string]*userState // by lower-case UPN: a fleet has thousands
	signIns   []signInEntry         // oldest first: see logOrder
	nextLogID int
	app       *appState // the scenario's app, nil when it has none
}

// userState is what the cloud knows about one account beyond the scenario.
type userState struct {
	User
	sessionsValidFrom  time.Time
	lastPasswordChange time.Time
	appPasswords       []string
	revokedBefore      time.Time // refresh tokens issued before this are rejected
}

// maxAppPasswords is Microsoft's documented limit per user.
const maxAppPasswords = 40

func newDirectory(sc *Scenario, clock func() time.Time) *directory {
	d := &directory{sc: sc, now: clock, users: map[string]*userState{}, byName: map[string]*userState{}}
	now := clock()
	for _, u := range sc.Users {
		state := &userState{
			User:               cloneUser(u),
			sessionsValidFrom:  now.Add(-30 * 24 * time.Hour),
			lastPasswordChange: now.Add(-90 * 24 * time.Hour),
		}
		d.users[u.ID] = state
		d.byName[strings.ToLower(u.UserPrincipalName)] = state
	}
	for _, s := range sc.SignInSeed {
		u := d.byUPN(s.User)
		row := d.stamped(d.signInOf(u, s.ClientAppUsed, s.AppName, s.ErrorCode), now.Add(-time.Duration(s.MinutesAgo)*time.Minute))
		if s.CAStatus != "" {
			row.CAStatus = s.CAStatus
		}
		if s.Applied != nil {
			row.Applied = slices.Clone(s.Applied)
		}
		d.signIns = append(d.signIns, row)
	}
	d.signIns = append(d.signIns, d.fleetSignIns()...)
	slices.SortFunc(d.signIns, logOrder) // once: later rows are inserted in place
	d.startApp(now)
	return d
}

func cloneUser(u User) User {
	u.Methods = slices.Clone(u.Methods)
	u.Roles = slices.Clone(u.Roles)
	u.Groups = slices.Clone(u.Groups)
	if u.SMTPClientAuthenticationDisabled != nil {
		v := *u.SMTPClientAuthenticationDisabled
		u.SMTPClientAuthenticationDisabled = &v
	}
	return u
}

// byUPN finds a user by UPN (case-insensitive); nil when absent. Caller holds mu.
func (d *directory) byUPN(upn string) *userState {
	return d.byName[strings.ToLower(upn)]
}

// lookup finds a user by object id or UPN. Caller holds mu.
func (d *directory) lookup(idOrUPN string) *userState {
	if u, ok := d.users[idOrUPN]; ok {
		return u
	}
	return d.byUPN(idOrUPN)
}

func (u *userState) enabled() bool { return u.AccountEnabled == nil || *u.AccountEnabled }

// hasRole reports whether the user holds any of the roles, or is a Global Administrator.
func (u *userState) hasRole(roles []string) bool {
	for _, r := range u.Roles {
		if r == "Global Administrator" || slices.Contains(roles, r) {
			return true
		}
	}
	return false
}

// registered reports whether the user has a method that can answer an MFA prompt.
func (u *userState) registered() bool {
	for _, m := range u.Methods {
		if m != "password" {
			return true
		}
	}
	return false
}

// setMFAState applies a per-user MFA change as Entra does: Enabled becomes
// Enforced at once when the user has already registered a method.
func (u *userState) setMFAState(state string) {
	if state == MFADisabled {
		u.AppPasswordOptionHidden = false // the KB's remedy: disabling clears the stuck state
	}
	if state == MFAEnabled && u.registered() {
		state = MFAEnforced
	}
	u.PerUserMFAState = state
}

// createAppPassword makes a new app password as the Security info page does.
func (d *directory) createAppPassword(upn string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	u := d.byUPN(upn)
	switch {
	case u == nil:
		return "", fmt.Errorf("no user %s", upn)
	case !d.sc.Tenant.AllowAppPasswords:
		return "", fmt.Errorf("the App password option is not offered: the tenant does not allow users to create app passwords")
	case u.PerUserMFAState == MFADisabled:
		return "", fmt.Errorf("the App password option is not offered: per-user MFA is disabled for %s", upn)
	case u.AppPasswordOptionHidden:
		return "", fmt.Errorf("the App password option is not offered to %s, although per-user MFA reads %s", upn, u.PerUserMFAState)
	case len(u.appPasswords) >= maxAppPasswords:
		return "", fmt.Errorf("%s already has %d app passwords, the maximum", upn, maxAppPasswords)
	}
	// Reaching Security info with per-user MFA on means registering a method
	// first; Entra then moves the account from Enabled to Enforced.
	if !u.registered() {
		u.Methods = append(u.Methods, "microsoftAuthenticator")
	}
	u.setMFAState(u.PerUserMFAState)
	pw := randomLetters(16)
	u.appPasswords = append(u.appPasswords, pw)
	return pw, nil
}

// clientTypeOf is the Conditional Access client app type of a sign-in log client app.
func clientTypeOf(clientApp string) string {
	switch clientApp {
	case "Exchange ActiveSync":
		return "exchangeActiveSync"
	case "Authenticated SMTP", "IMAP4", "POP3", "Exchange Web Services", "Autodiscover", "Other clients",
		"MAPI Over HTTP", "Offline Address Book", "Outlook Anywhere (RPC over HTTP)", "Outlook Service", "Reporting Web Services":
		return clientTypeLegacy
	}
	return clientTypeModern
}

// resourceOf is the resource a sign-in log client app signs in to.
func resourceOf(clientApp string) string {
	switch {
	case clientApp == "Other clients":
		return sharePointOnlineAppID
	case clientTypeOf(clientApp) != clientTypeModern:
		return exchangeOnlineAppID
	}
	return graphAppID
}

// randomLetters returns n random lowercase letters, the shape of a Microsoft app password.
func randomLetters(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails since Go 1.24
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}
