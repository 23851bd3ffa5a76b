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
	signIns   []signInEntry
	nextLogID int
}

// userState is what the cloud knows about one account beyond the scenario.
type userState struct {
	User
	sessionsValidFrom  time.Time
	lastPasswordChange time.Time
	appPasswords       []string
	revokedBefore      time.Time // refresh tokens issued before this are rejected
}

// signInEntry is one row of the sign-in log.
type signInEntry struct {
	ID            string
	Created       time.Time
	UserID        string
	UPN           string
	DisplayName   string
	AppID         string
	AppName       string
	ClientAppUsed string
	ErrorCode     int
	Reason        string
	CAStatus      string
	Applied       []AppliedPolicy
	MFAProvider   string
}

// maxAppPasswords is Microsoft's documented limit per user.
const maxAppPasswords = 40

func newDirectory(sc *Scenario, clock func() time.Time) *directory {
	d := &directory{sc: sc, now: clock, users: map[string]*userState{}}
	now := clock()
	for _, u := range sc.Users {
		d.users[u.ID] = &userState{
			User:               cloneUser(u),
			sessionsValidFrom:  now.Add(-30 * 24 * time.Hour),
			lastPasswordChange: now.Add(-90 * 24 * time.Hour),
		}
	}
	for _, s := range sc.SignInSeed {
		u := d.byUPN(s.User)
		d.logSignIn(u, now.Add(-time.Duration(s.MinutesAgo)*time.Minute), s.ClientAppUsed, s.AppName, s.ErrorCode)
		row := &d.signIns[len(d.signIns)-1]
		if s.CAStatus != "" {
			row.CAStatus = s.CAStatus
		}
		if s.Applied != nil {
			row.Applied = slices.Clone(s.Applied)
		}
	}
	return d
}

func cloneUser(u User) User {
	u.Methods = slices.Clone(u.Methods)
	u.Roles = slices.Clone(u.Roles)
	u.Groups = slices.Clone(u.Groups)
	return u
}

// byUPN finds a user by UPN (case-insensitive); nil when absent. Caller holds mu.
func (d *directory) byUPN(upn string) *userState {
	for _, u := range d.users {
		if strings.EqualFold(u.UserPrincipalName, upn) {
			return u
		}
	}
	return nil
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

// logSignIn appends a sign-in log row. Caller holds mu (or is constructing d).
func (d *directory) logSignIn(u *userState, at time.Time, clientApp, appName string, code int) {
	d.nextLogID++
	e := signInEntry{
		ID:            stableID(fmt.Sprintf("signin:%d:%s", d.nextLogID, at)),
		Created:       at,
		ClientAppUsed: clientApp,
		AppName:       appName,
		AppID:         stableID("app:" + appName),
		ErrorCode:     code,
		Reason:        failureReasons[code],
		CAStatus:      "notApplied",
	}
	if code == 0 {
		e.Reason = ""
	}
	if u != nil {
		e.UserID, e.UPN, e.DisplayName = u.ID, u.UserPrincipalName, u.DisplayName
		e.MFAProvider = d.mfaProvider(u, clientApp)
		v := d.evaluateCA(u, clientTypeOf(clientApp), resourceOf(clientApp))
		e.Applied = v.applied
		if caEvaluated(code) {
			e.CAStatus = v.status()
		} else {
			notApplied(e.Applied) // the first factor failed before Conditional Access ran
		}
	}
	d.signIns = append(d.signIns, e)
}

// caEvaluated reports a sign-in result Entra reaches only after the first
// factor passed, so that Conditional Access was evaluated.
func caEvaluated(code int) bool {
	switch code {
	case 0, 53003, 50076, 50079, 50074:
		return true
	}
	return false
}

// notApplied marks every policy as not applied to the sign-in.
func notApplied(applied []AppliedPolicy) {
	for i := range applied {
		switch {
		case applied[i].Result == "notEnabled":
		case strings.HasPrefix(applied[i].Result, "reportOnly"):
			applied[i].Result = "reportOnlyNotApplied"
		default:
			applied[i].Result = "notApplied"
		}
		applied[i].EnforcedGrantControls = []string{}
	}
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

// failureReasons are the sign-in log's failureReason texts for the codes simcloud emits.
var failureReasons = map[int]string{
	50034:  "The user account does not exist in the directory.",
	50053:  "Account is locked because the user tried to sign in too many times with an incorrect user ID or password.",
	50055:  "The password is expired.",
	50057:  "The user account is disabled.",
	50072:  "Users needs to enroll for second factor authentication (interactive).",
	50074:  "Strong Authentication is required.",
	50076:  "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
	50079:  "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication.",
	50126:  "Error validating credentials due to invalid username or password.",
	50173:  "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
	53003:  "Access has been blocked by Conditional Access policies.",
	530035: "Access has been blocked by security defaults.",
	65001:  "The user or administrator has not consented to use the application.",
}
