package diagnose

import (
	"slices"
	"strings"
)

// Match is how surely a policy applies to the app's legacy sign-ins.
type Match string

// How a policy matches.
const (
	// MatchCertain: every condition is known to match.
	MatchCertain Match = "certain"
	// MatchPossible: it matches unless a condition apppass cannot see
	// (location, platform, risk, device) rules it out.
	MatchPossible Match = "possible"
	// MatchNone: a condition apppass can see rules it out.
	MatchNone Match = "none"
	// MatchUnknown: it depends on group or role memberships apppass could not read.
	MatchUnknown Match = "unknown"
)

// CAEffect is what one Conditional Access policy does to the app's legacy sign-ins.
type CAEffect struct {
	Policy CAPolicy
	// Enforced: the policy is on; ReportOnly: it only reports.
	Enforced, ReportOnly bool
	Match                Match
	// Depends says, with MatchPossible, what the match depends on ("if the
	// app signs in from outside the trusted locations"); with MatchNone, what
	// rules it out.
	Depends string
	// Blocks: block, or any grant control (a legacy client cannot satisfy one).
	Blocks bool
	// RequiresMFA: an MFA grant control or an authentication strength.
	RequiresMFA bool
}

// Counts reports an enforced policy that surely blocks the app's legacy sign-ins.
func (e CAEffect) Counts() bool { return e.Enforced && e.Blocks && e.Match == MatchCertain }

// MayBlock reports an enforced policy that blocks the app's legacy sign-ins
// when a condition apppass cannot see holds.
func (e CAEffect) MayBlock() bool { return e.Enforced && e.Blocks && e.Match == MatchPossible }

// Undecided reports an enforced blocking policy whose scope apppass could not read.
func (e CAEffect) Undecided() bool { return e.Enforced && e.Blocks && e.Match == MatchUnknown }

// Resource app ids Conditional Access names.
const (
	ExchangeOnlineAppID   = "00000002-0000-0ff1-ce00-000000000000"
	SharePointOnlineAppID = "00000003-0000-0ff1-ce00-000000000000"
)

// managedPolicyNames are the names Microsoft gives its managed policies
// (M365-FACTS.md section 8); a policy of that name is probably one of them.
var managedPolicyNames = []string{
	"Block legacy authentication",
	"Block device code flow",
	"Multifactor authentication for per-user multifactor authentication users",
	"Multifactor authentication for admins accessing Microsoft Admin Portals",
	"Multifactor authentication for all users",
}

// Managed reports a policy that bears the name of a Microsoft-managed policy.
func (p CAPolicy) Managed() bool {
	return slices.ContainsFunc(managedPolicyNames, func(n string) bool { return strings.EqualFold(n, p.Name) })
}

// legacyClientTypes are the client app types the service's Basic-auth
// sign-ins count as: Exchange ActiveSync, or "other" for every other legacy client.
func legacyClientTypes(s Service) []string {
	if s == ServiceExchange || s == ServiceOther {
		return []string{"all", "exchangeActiveSync", "other"}
	}
	return []string{"all", "other"}
}

// EvaluateCA judges each policy against the account and the service, client
// side, the way Entra evaluates a legacy (Basic auth) sign-in: a policy applies
// only when all its conditions match. Locations name named locations in the wording.
func EvaluateCA(policies []CAPolicy, acct Account, m Item[Membership], service Service, locations []NamedLocation) []CAEffect {
	resource := ExchangeOnlineAppID
	if service == ServiceSharePoint {
		resource = SharePointOnlineAppID
	}
	out := make([]CAEffect, 0, len(policies))
	for _, p := range policies {
		e := CAEffect{Policy: p, Enforced: p.State == "enabled", ReportOnly: p.State == "enabledForReportingButNotEnforced"}
		e.RequiresMFA = slices.Contains(p.GrantControls, "mfa") || p.AuthStrength != ""
		e.Blocks = len(p.GrantControls) > 0 || p.AuthStrength != "" || len(p.TermsOfUse) > 0 || len(p.CustomFactors) > 0
		e.Match, e.Depends = match(p, acct, m, service, resource, locations)
		out = append(out, e)
	}
	return out
}

// match applies the conditions a legacy sign-in is judged on, ruling out
// first what apppass can see, then naming what it cannot.
func match(p CAPolicy, acct Account, m Item[Membership], service Service, resource string, locations []NamedLocation) (Match, string) {
	switch {
	case p.ForWorkloads:
		return MatchNone, "it targets workload identities, not users"
	case len(p.IncludeUserActions) > 0 || len(p.AuthContexts) > 0:
		return MatchNone, "it is about user actions or authentication contexts, not signing in to an app"
	case p.TransferMethods != "":
		return MatchNone, "it covers only device-code or authentication-transfer sign-ins"
	case !intersects(p.ClientAppTypes, legacyClientTypes(service)):
		return MatchNone, "it does not cover legacy clients"
	case !coversApp(p, resource):
		return MatchNone, "it does not cover the service"
	}
	scope, who := userScope(p, acct, m)
	switch scope {
	case MatchNone:
		return MatchNone, "it does not cover the account"
	case MatchUnknown:
		return MatchUnknown, "it depends on group or role memberships apppass could not read"
	}
	var depends []string
	if who != "" {
		depends = append(depends, who)
	}
	if d := locationCondition(p, locations); d != "" {
		depends = append(depends, d)
	}
	if len(p.IncludePlatforms) > 0 && !(slices.Contains(p.IncludePlatforms, "all") && len(p.ExcludePlatforms) == 0) {
		depends = append(depends, "if Entra ID counts the app's device platform among "+strings.Join(p.IncludePlatforms, ", "))
	}
	if risks := append(slices.Clone(p.SignInRisk), p.UserRisk...); len(risks) > 0 {
		depends = append(depends, "when Entra ID rates the sign-in or the user at risk "+strings.Join(risks, ", "))
	}
	if p.InsiderRisk != "" {
		depends = append(depends, "when the user's insider risk is "+p.InsiderRisk)
	}
	switch {
	case p.DeviceFilter == "":
	case strings.EqualFold(p.DeviceFilterMode, "exclude"):
		// Exclude mode: the policy covers every device the rule does not match.
		depends = append(depends, "unless its device filter ("+p.DeviceFilter+") excludes the app's device")
	default:
		depends = append(depends, "when its device filter ("+p.DeviceFilter+") matches the app's device")
	}
	if len(depends) > 0 {
		return MatchPossible, strings.Join(depends, ", and ")
	}
	return MatchCertain, ""
}

// locationCondition words a location condition ("" when it covers everywhere).
func locationCondition(p CAPolicy, locations []NamedLocation) string {
	if len(p.IncludeLocations) == 0 || slices.Equal(p.IncludeLocations, []string{"All"}) && len(p.ExcludeLocations) == 0 {
		return ""
	}
	if slices.Contains(p.IncludeLocations, "All") {
		return "if the app signs in from outside " + locationNames(p.ExcludeLocations, locations)
	}
	return "if the app signs in from " + locationNames(p.IncludeLocations, locations)
}

func locationNames(ids []string, locations []NamedLocation) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		switch {
		case id == "AllTrusted":
			names = append(names, "the trusted locations")
			continue
		case id == "All":
			names = append(names, "anywhere")
			continue
		}
		name := "named location " + id
		for _, l := range locations {
			if strings.EqualFold(l.ID, id) {
				name = "'" + l.Name + "'"
			}
		}
		names = append(names, name)
	}
	return strings.Join(names, " or ")
}

func coversApp(p CAPolicy, resource string) bool {
	if slices.Contains(p.ExcludeApplications, resource) || slices.Contains(p.ExcludeApplications, "Office365") {
		return false
	}
	return slices.Contains(p.IncludeApplications, "All") || slices.Contains(p.IncludeApplications, resource) ||
		slices.Contains(p.IncludeApplications, "Office365")
}

// userScope evaluates include and exclude lists; exclusions win. It answers
// MatchCertain (in scope), MatchNone, MatchUnknown, or MatchPossible with
// what it depends on: a guest condition that names some external tenants
// only, since apppass does not read a guest's home tenant.
func userScope(p CAPolicy, a Account, m Item[Membership]) (Match, string) {
	guestKeyword := func(list []string) bool { return a.Guest && slices.Contains(list, "GuestsOrExternalUsers") }
	kind := externalKind(a)
	excludeGuests, includeGuests := p.ExcludeGuests.covers(kind), p.IncludeGuests.covers(kind)
	needsMembership := len(p.IncludeGroups)+len(p.ExcludeGroups)+len(p.IncludeRoles)+len(p.ExcludeRoles) > 0
	if slices.ContainsFunc(p.ExcludeUsers, func(u string) bool { return strings.EqualFold(u, a.ID) }) || guestKeyword(p.ExcludeUsers) || excludeGuests == MatchCertain {
		return MatchNone, ""
	}
	if needsMembership && !m.Known() {
		if slices.Contains(p.IncludeUsers, "None") && len(p.IncludeGroups)+len(p.IncludeRoles) == 0 && p.IncludeGuests == nil {
			return MatchNone, ""
		}
		return MatchUnknown, ""
	}
	if intersects(p.ExcludeGroups, m.Value.GroupIDs) || intersects(p.ExcludeRoles, m.Value.RoleTemplateIDs) {
		return MatchNone, ""
	}
	in := slices.Contains(p.IncludeUsers, "All") ||
		slices.ContainsFunc(p.IncludeUsers, func(u string) bool { return strings.EqualFold(u, a.ID) }) ||
		guestKeyword(p.IncludeUsers) || includeGuests == MatchCertain ||
		intersects(p.IncludeGroups, m.Value.GroupIDs) || intersects(p.IncludeRoles, m.Value.RoleTemplateIDs)
	switch {
	case in && excludeGuests == MatchPossible:
		return MatchPossible, "unless the account's home tenant is among the external tenants the policy excludes"
	case in:
		return MatchCertain, ""
	case includeGuests == MatchPossible:
		return MatchPossible, "if the account's home tenant is among the external tenants the policy names"
	}
	return MatchNone, ""
}

// externalKind is the account's guestOrExternalUserType ("" for a member
// of this tenant): a #EXT# account is a B2B collaboration guest or member.
func externalKind(a Account) string {
	external := strings.Contains(strings.ToUpper(a.UPN), "#EXT#")
	switch {
	case external && a.Guest:
		return "b2bCollaborationGuest"
	case external:
		return "b2bCollaborationMember"
	case a.Guest:
		return "internalGuest"
	}
	return ""
}

// covers says whether a guest condition covers an account of kind: surely,
// not at all, or possibly (some external tenants only; internal guests
// have no other tenant).
func (g *GuestsOrExternal) covers(kind string) Match {
	switch {
	case g == nil || kind == "" || !slices.Contains(g.Types, kind):
		return MatchNone
	case g.AllTenants || kind == "internalGuest":
		return MatchCertain
	}
	return MatchPossible
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.ContainsFunc(b, func(y string) bool { return strings.EqualFold(x, y) }) {
			return true
		}
	}
	return false
}
