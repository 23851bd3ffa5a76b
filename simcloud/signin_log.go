package simcloud

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// signInEntry is one row of the sign-in log.
type signInEntry struct {
	ID      string
	Seq     int // the order rows were logged in, which breaks ties of Created
	Created time.Time
	// Visible is when the row appears in the log: Created plus the
	// scenario's log delay.
	Visible       time.Time
	CorrelationID string
	UserID        string
	UPN           string
	DisplayName   string
	AppID         string
	AppName       string
	ClientAppUsed string
	ErrorCode     int
	Reason        string
	CAStatus      string
	Applied       []AppliedPolicy // shared between rows: never changed once logged
	MFAProvider   string
	// NonInteractive rows appear only to a query that filters on
	// signInEventTypes (the portal's non-interactive tab).
	NonInteractive bool
}

// logOrder keeps the log oldest first, rows of one second in the order they
// were logged, so that reading it backwards gives Graph's order (newest
// first) without sorting per request.
func logOrder(a, b signInEntry) int {
	if c := a.Created.Compare(b.Created); c != 0 {
		return c
	}
	return a.Seq - b.Seq
}

// logSignIn writes a sign-in log row at its place. Caller holds mu.
func (d *directory) logSignIn(u *userState, at time.Time, clientApp, appName string, code int) {
	e := d.stamped(d.signInOf(u, clientApp, appName, code), at)
	// The clock only moves on, so the place is nearly always the end.
	i := sort.Search(len(d.signIns), func(i int) bool { return logOrder(d.signIns[i], e) > 0 })
	d.signIns = slices.Insert(d.signIns, i, e)
}

// signInOf is what a row records of a sign-in, apart from when it
// happened: the same for every attempt of one app. Caller holds mu (or is
// constructing d).
func (d *directory) signInOf(u *userState, clientApp, appName string, code int) signInEntry {
	e := signInEntry{
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
		// "Conditional Access policies are enforced after first-factor
		// authentication is completed": a row that failed the first factor
		// carries notApplied and no applied policies (docs/scenarios.md).
		if caEvaluated(code) {
			v := d.evaluateCA(u, clientTypeOf(clientApp), resourceOf(clientApp))
			e.Applied, e.CAStatus = v.applied, v.status()
		}
	}
	return e
}

// stamped gives a row its time and its ids. The time is kept to the second,
// as Graph shows it, so that a client's time filter agrees with what it read.
func (d *directory) stamped(e signInEntry, at time.Time) signInEntry {
	d.nextLogID++
	at = at.Truncate(time.Second)
	e.Seq, e.Created, e.Visible = d.nextLogID, at, at.Add(d.sc.logDelay())
	e.NonInteractive = d.loggedNonInteractive(e)
	e.ID = stableID(fmt.Sprintf("signin:%d:%s", d.nextLogID, at))
	e.CorrelationID = stableID("corr:" + e.ID)
	return e
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

// loggedNonInteractive decides on which tab a row lands. Microsoft does not
// document where legacy (Basic-auth) sign-ins are logged and advises reading
// both tabs, so the scenario decides; by default legacy rows alternate
// between the two, and only a client that reads both sees them all.
func (d *directory) loggedNonInteractive(e signInEntry) bool {
	if clientTypeOf(e.ClientAppUsed) == clientTypeModern {
		return false
	}
	switch d.sc.LegacySignInsLoggedAs {
	case LoggedInteractive:
		return false
	case LoggedNonInteractive:
		return true
	}
	return e.Seq%2 == 0
}

// firstFactorFailure reports a sign-in result Entra reaches before
// Conditional Access runs (caEvaluated lists those reached after it).
func firstFactorFailure(code int) bool { return code != 0 && !caEvaluated(code) }

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
