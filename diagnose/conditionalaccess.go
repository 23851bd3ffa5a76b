package diagnose

import (
	"slices"
	"strings"
)

// Scope is whether a policy covers the account.
type Scope string

// Policy scopes.
const (
	ScopeIn      Scope = "in"
	ScopeOut     Scope = "out"
	ScopeUnknown Scope = "unknown" // depends on group or role membership apppass could not read
)

// CAEffect is what one Conditional Access policy does to the app's legacy sign-ins.
type CAEffect struct {
	Policy CAPolicy
	// Enforced: the policy is on (report-only and disabled ones are listed, not counted).
	Enforced bool
	Scope    Scope
	// CoversLegacy: its client app types include legacy clients and its
	// applications include the service.
	CoversLegacy bool
	// Blocks: block, or any grant control (a legacy client cannot satisfy one).
	Blocks bool
	// RequiresMFA: an MFA grant control or an authentication strength.
	RequiresMFA bool
}

// Counts reports an enforced policy that blocks this account's legacy sign-ins.
func (e CAEffect) Counts() bool {
	return e.Enforced && e.CoversLegacy && e.Blocks && e.Scope == ScopeIn
}

// Resource app ids Conditional Access names.
const (
	ExchangeOnlineAppID   = "00000002-0000-0ff1-ce00-000000000000"
	SharePointOnlineAppID = "00000003-0000-0ff1-ce00-000000000000"
)

// legacyClientTypes are the client app types legacy authentication counts as.
var legacyClientTypes = []string{"all", "exchangeActiveSync", "other"}

// EvaluateCA judges each policy against the account and the service, client
// side, the way Entra would for a legacy (Basic auth) sign-in.
func EvaluateCA(policies []CAPolicy, acct Account, m Item[Membership], service Service) []CAEffect {
	resource := ExchangeOnlineAppID
	if service == ServiceSharePoint {
		resource = SharePointOnlineAppID
	}
	out := make([]CAEffect, 0, len(policies))
	for _, p := range policies {
		e := CAEffect{Policy: p, Enforced: p.State == "enabled"}
		e.CoversLegacy = intersects(p.ClientAppTypes, legacyClientTypes) && coversApp(p, resource)
		e.RequiresMFA = slices.Contains(p.GrantControls, "mfa") || p.AuthStrength != ""
		e.Blocks = slices.Contains(p.GrantControls, "block") || len(p.GrantControls) > 0 || p.AuthStrength != ""
		e.Scope = userScope(p, acct, m)
		out = append(out, e)
	}
	return out
}

func coversApp(p CAPolicy, resource string) bool {
	if slices.Contains(p.ExcludeApplications, resource) {
		return false
	}
	return slices.Contains(p.IncludeApplications, "All") || slices.Contains(p.IncludeApplications, resource) ||
		slices.Contains(p.IncludeApplications, "Office365")
}

// userScope evaluates include and exclude lists; exclusions win.
func userScope(p CAPolicy, a Account, m Item[Membership]) Scope {
	guestKeyword := func(list []string) bool { return a.Guest && slices.Contains(list, "GuestsOrExternalUsers") }
	needsMembership := len(p.IncludeGroups)+len(p.ExcludeGroups)+len(p.IncludeRoles)+len(p.ExcludeRoles) > 0
	if slices.ContainsFunc(p.ExcludeUsers, func(u string) bool { return strings.EqualFold(u, a.ID) }) || guestKeyword(p.ExcludeUsers) {
		return ScopeOut
	}
	if needsMembership && !m.Known() {
		if slices.Contains(p.IncludeUsers, "None") && len(p.IncludeGroups)+len(p.IncludeRoles) == 0 {
			return ScopeOut
		}
		return ScopeUnknown
	}
	if intersects(p.ExcludeGroups, m.Value.GroupIDs) || intersects(p.ExcludeRoles, m.Value.RoleTemplateIDs) {
		return ScopeOut
	}
	in := slices.Contains(p.IncludeUsers, "All") ||
		slices.ContainsFunc(p.IncludeUsers, func(u string) bool { return strings.EqualFold(u, a.ID) }) ||
		guestKeyword(p.IncludeUsers) ||
		intersects(p.IncludeGroups, m.Value.GroupIDs) || intersects(p.IncludeRoles, m.Value.RoleTemplateIDs)
	if in {
		return ScopeIn
	}
	return ScopeOut
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.ContainsFunc(b, func(y string) bool { return strings.EqualFold(x, y) }) {
			return true
		}
	}
	return false
}
