package simcloud

import (
	"fmt"
	"slices"
	"strings"
)

// CAPolicy is a Conditional Access policy in Graph's shape. In a scenario file
// users may be given by UPN, groups by display name and roles by name; they
// are turned into ids when the scenario loads.
type CAPolicy struct {
	ID            string          `json:"id,omitempty"`
	DisplayName   string          `json:"displayName"`
	State         string          `json:"state"`
	Conditions    CAConditions    `json:"conditions"`
	GrantControls *CAGrantControl `json:"grantControls"`
}

// CAConditions is Graph's conditionalAccessConditionSet: a policy applies
// only when every condition set here matches the sign-in.
type CAConditions struct {
	ClientAppTypes      []string               `json:"clientAppTypes"`
	Applications        CAApplications         `json:"applications"`
	Users               CAUserConditions       `json:"users"`
	Locations           *CAIncludeExclude      `json:"locations,omitempty"`
	Platforms           *CAIncludeExclude      `json:"platforms,omitempty"`
	SignInRiskLevels    []string               `json:"signInRiskLevels,omitempty"`
	UserRiskLevels      []string               `json:"userRiskLevels,omitempty"`
	InsiderRiskLevels   string                 `json:"insiderRiskLevels,omitempty"`
	Devices             *CADevices             `json:"devices,omitempty"`
	AuthenticationFlows *CAAuthenticationFlows `json:"authenticationFlows,omitempty"`
	ClientApplications  *CAClientApplications  `json:"clientApplications,omitempty"`
}

// CAApplications says which resources (or user actions) a policy covers.
type CAApplications struct {
	IncludeApplications []string `json:"includeApplications"`
	ExcludeApplications []string `json:"excludeApplications"`
	IncludeUserActions  []string `json:"includeUserActions,omitempty"`
	// IncludeAuthenticationContextClassReferences targets authentication contexts.
	IncludeAuthenticationContextClassReferences []string `json:"includeAuthenticationContextClassReferences,omitempty"`
}

// CAIncludeExclude is the locations or platforms condition.
type CAIncludeExclude struct {
	IncludeLocations []string `json:"includeLocations,omitempty"`
	ExcludeLocations []string `json:"excludeLocations,omitempty"`
	IncludePlatforms []string `json:"includePlatforms,omitempty"`
	ExcludePlatforms []string `json:"excludePlatforms,omitempty"`
}

// CADevices holds the device filter condition.
type CADevices struct {
	DeviceFilter *CADeviceFilter `json:"deviceFilter,omitempty"`
}

// CADeviceFilter is a device filter rule, included or excluded.
type CADeviceFilter struct {
	Mode string `json:"mode"`
	Rule string `json:"rule"`
}

// CAAuthenticationFlows limits a policy to device-code or authentication-transfer sign-ins.
type CAAuthenticationFlows struct {
	TransferMethods string `json:"transferMethods"`
}

// CAClientApplications targets workload identities (service principals).
type CAClientApplications struct {
	IncludeServicePrincipals []string `json:"includeServicePrincipals,omitempty"`
	ExcludeServicePrincipals []string `json:"excludeServicePrincipals,omitempty"`
}

// NamedLocation is an IP named location (Graph's ipNamedLocation).
type NamedLocation struct {
	ID          string   `json:"id,omitempty"`
	DisplayName string   `json:"displayName"`
	IsTrusted   bool     `json:"isTrusted"`
	IPRanges    []string `json:"ipRanges"`
}

// CAUserConditions says whom a policy covers.
type CAUserConditions struct {
	IncludeUsers  []string `json:"includeUsers"`
	ExcludeUsers  []string `json:"excludeUsers"`
	IncludeGroups []string `json:"includeGroups"`
	ExcludeGroups []string `json:"excludeGroups"`
	IncludeRoles  []string `json:"includeRoles"`
	ExcludeRoles  []string `json:"excludeRoles"`
	// IncludeGuestsOrExternalUsers and ExcludeGuestsOrExternalUsers are the
	// newer guest conditions (Graph's conditionalAccessGuestsOrExternalUsers).
	IncludeGuestsOrExternalUsers *GuestsOrExternalUsers `json:"includeGuestsOrExternalUsers,omitempty"`
	ExcludeGuestsOrExternalUsers *GuestsOrExternalUsers `json:"excludeGuestsOrExternalUsers,omitempty"`
}

// GuestsOrExternalUsers names kinds of guests and external users, and their tenants.
type GuestsOrExternalUsers struct {
	// Types is a comma-separated list: internalGuest, b2bCollaborationGuest,
	// b2bCollaborationMember, b2bDirectConnectUser, otherExternalUser, serviceProvider.
	Types           string           `json:"guestOrExternalUserTypes"`
	ExternalTenants *ExternalTenants `json:"externalTenants,omitempty"`
}

// ExternalTenants is conditionalAccessExternalTenants: all, or enumerated tenant ids.
type ExternalTenants struct {
	ODataType      string   `json:"@odata.type,omitempty"`
	MembershipKind string   `json:"membershipKind"`
	Members        []string `json:"members,omitempty"`
}

// externalKind is the guestOrExternalUserType of an account: "" for a
// member of this tenant. simcloud keeps no home tenant for external users.
func externalKind(upn, userType string) string {
	external := strings.Contains(strings.ToUpper(upn), "#EXT#")
	guest := strings.EqualFold(userType, "Guest")
	switch {
	case external && guest:
		return "b2bCollaborationGuest"
	case external:
		return "b2bCollaborationMember"
	case guest:
		return "internalGuest"
	}
	return ""
}

// covers reports whether the condition covers an account of kind; an
// enumerated tenant list never covers here (no home tenant is simulated),
// except internal guests, who have none.
func (g *GuestsOrExternalUsers) covers(kind string) bool {
	if g == nil || kind == "" || !slices.Contains(strings.Split(strings.ReplaceAll(g.Types, " ", ""), ","), kind) {
		return false
	}
	return kind == "internalGuest" || g.ExternalTenants == nil || strings.EqualFold(g.ExternalTenants.MembershipKind, "all")
}

// CAGrantControl is what a policy demands.
type CAGrantControl struct {
	Operator                    string                    `json:"operator"`
	BuiltInControls             []string                  `json:"builtInControls"`
	TermsOfUse                  []string                  `json:"termsOfUse,omitempty"`
	CustomAuthenticationFactors []string                  `json:"customAuthenticationFactors,omitempty"`
	AuthenticationStrength      *CAAuthenticationStrength `json:"authenticationStrength,omitempty"`
}

// demands reports any grant control at all (a legacy client satisfies none).
func (g *CAGrantControl) demands() bool {
	return g != nil && (len(g.BuiltInControls) > 0 || len(g.TermsOfUse) > 0 || len(g.CustomAuthenticationFactors) > 0 || g.AuthenticationStrength != nil)
}

// CAAuthenticationStrength names a required authentication strength.
type CAAuthenticationStrength struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

func (sc *Scenario) normalizePolicy(p *CAPolicy) error {
	if p.ID == "" {
		p.ID = stableID("policy:" + p.DisplayName)
	}
	switch p.State {
	case "enabled", "disabled", "enabledForReportingButNotEnforced":
	default:
		return fmt.Errorf("policy %q: state must be enabled, disabled or enabledForReportingButNotEnforced", p.DisplayName)
	}
	if len(p.Conditions.ClientAppTypes) == 0 {
		p.Conditions.ClientAppTypes = []string{"all"}
	}
	if len(p.Conditions.Applications.IncludeApplications) == 0 {
		p.Conditions.Applications.IncludeApplications = []string{"All"}
	}
	u := &p.Conditions.Users
	var err error
	resolve := func(list []string, kind string, lookup func(string) string) []string {
		out := make([]string, 0, len(list))
		for _, v := range list {
			if isSpecialTarget(v) {
				out = append(out, v)
				continue
			}
			id := lookup(v)
			if id == "" && err == nil {
				err = fmt.Errorf("policy %q: unknown %s %q", p.DisplayName, kind, v)
			}
			out = append(out, id)
		}
		return out
	}
	roleID := func(v string) string {
		if id, ok := roleTemplateIDs[v]; ok {
			return id
		}
		for _, id := range roleTemplateIDs {
			if strings.EqualFold(id, v) {
				return id
			}
		}
		return ""
	}
	u.IncludeUsers = resolve(u.IncludeUsers, "user", sc.userID)
	u.ExcludeUsers = resolve(u.ExcludeUsers, "user", sc.userID)
	u.IncludeGroups = resolve(u.IncludeGroups, "group", sc.groupID)
	u.ExcludeGroups = resolve(u.ExcludeGroups, "group", sc.groupID)
	u.IncludeRoles = resolve(u.IncludeRoles, "role", roleID)
	u.ExcludeRoles = resolve(u.ExcludeRoles, "role", roleID)
	if l := p.Conditions.Locations; l != nil {
		l.IncludeLocations = resolve(l.IncludeLocations, "named location", sc.locationID)
		l.ExcludeLocations = resolve(l.ExcludeLocations, "named location", sc.locationID)
	}
	return err
}

// locationID resolves a named location's display name or id.
func (sc *Scenario) locationID(nameOrID string) string {
	for _, l := range sc.NamedLocations {
		if l.ID == nameOrID || strings.EqualFold(l.DisplayName, nameOrID) {
			return l.ID
		}
	}
	return ""
}

// isSpecialTarget reports Graph's keywords that stand for sets of users.
func isSpecialTarget(v string) bool {
	switch v {
	case "All", "None", "GuestsOrExternalUsers", "AllTrusted":
		return true
	}
	return false
}
