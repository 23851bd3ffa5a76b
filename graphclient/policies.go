package graphclient

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// SecurityDefaults reports whether security defaults are on.
func (c *Client) SecurityDefaults(ctx context.Context) (bool, error) {
	var res struct {
		IsEnabled *bool `json:"isEnabled"`
	}
	if err := c.getJSON(ctx, call{version: "v1.0", path: "/policies/identitySecurityDefaultsEnforcementPolicy"}, &res); err != nil {
		return false, err
	}
	if res.IsEnabled == nil {
		return false, fmt.Errorf("%w: isEnabled missing", ErrMalformedResponse)
	}
	return *res.IsEnabled, nil
}

// CAPolicy is a Conditional Access policy in Graph's shape, with every
// condition that can decide a sign-in.
type CAPolicy struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	// State is enabled, disabled or enabledForReportingButNotEnforced.
	State      string `json:"state"`
	Conditions struct {
		ClientAppTypes []string `json:"clientAppTypes"`
		Applications   struct {
			IncludeApplications []string `json:"includeApplications"`
			ExcludeApplications []string `json:"excludeApplications"`
			IncludeUserActions  []string `json:"includeUserActions"`
			AuthContexts        []string `json:"includeAuthenticationContextClassReferences"`
		} `json:"applications"`
		Users struct {
			IncludeUsers  []string `json:"includeUsers"`
			ExcludeUsers  []string `json:"excludeUsers"`
			IncludeGroups []string `json:"includeGroups"`
			ExcludeGroups []string `json:"excludeGroups"`
			IncludeRoles  []string `json:"includeRoles"`
			ExcludeRoles  []string `json:"excludeRoles"`
			// The newer guest conditions: kinds of guests and their tenants.
			IncludeGuestsOrExternalUsers *GuestsOrExternalUsers `json:"includeGuestsOrExternalUsers"`
			ExcludeGuestsOrExternalUsers *GuestsOrExternalUsers `json:"excludeGuestsOrExternalUsers"`
		} `json:"users"`
		Locations *struct {
			IncludeLocations []string `json:"includeLocations"`
			ExcludeLocations []string `json:"excludeLocations"`
		} `json:"locations"`
		Platforms *struct {
			IncludePlatforms []string `json:"includePlatforms"`
			ExcludePlatforms []string `json:"excludePlatforms"`
		} `json:"platforms"`
		SignInRiskLevels  []string `json:"signInRiskLevels"`
		UserRiskLevels    []string `json:"userRiskLevels"`
		InsiderRiskLevels *string  `json:"insiderRiskLevels"`
		Devices           *struct {
			DeviceFilter *struct {
				Mode string `json:"mode"`
				Rule string `json:"rule"`
			} `json:"deviceFilter"`
		} `json:"devices"`
		AuthenticationFlows *struct {
			TransferMethods string `json:"transferMethods"`
		} `json:"authenticationFlows"`
		ClientApplications *struct {
			IncludeServicePrincipals []string `json:"includeServicePrincipals"`
		} `json:"clientApplications"`
	} `json:"conditions"`
	GrantControls *struct {
		Operator                    string   `json:"operator"`
		BuiltInControls             []string `json:"builtInControls"`
		TermsOfUse                  []string `json:"termsOfUse"`
		CustomAuthenticationFactors []string `json:"customAuthenticationFactors"`
		AuthenticationStrength      *struct {
			DisplayName string `json:"displayName"`
		} `json:"authenticationStrength"`
	} `json:"grantControls"`
}

// GuestsOrExternalUsers is Graph's conditionalAccessGuestsOrExternalUsers.
type GuestsOrExternalUsers struct {
	// Types is comma-separated: internalGuest, b2bCollaborationGuest, b2bCollaborationMember, ...
	Types           string `json:"guestOrExternalUserTypes"`
	ExternalTenants *struct {
		MembershipKind string `json:"membershipKind"` // all or enumerated
	} `json:"externalTenants"`
}

// NamedLocation is a Conditional Access named location (IP or country).
type NamedLocation struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	// IsTrusted is set on IP named locations only.
	IsTrusted bool `json:"isTrusted"`
}

// NamedLocations lists the tenant's named locations (needs Entra ID P1).
func (c *Client) NamedLocations(ctx context.Context) ([]NamedLocation, error) {
	return getAll[NamedLocation](ctx, c, call{version: "v1.0", path: "/identity/conditionalAccess/namedLocations"})
}

// ConditionalAccessPolicies lists every policy, all pages (needs Entra ID P1).
func (c *Client) ConditionalAccessPolicies(ctx context.Context) ([]CAPolicy, error) {
	return getAll[CAPolicy](ctx, c, call{version: "v1.0", path: "/identity/conditionalAccess/policies"})
}

// SignIn is one row of the sign-in log.
type SignIn struct {
	ID                string    `json:"id"`
	Created           time.Time `json:"createdDateTime"`
	UserPrincipalName string    `json:"userPrincipalName"`
	UserID            string    `json:"userId"`
	AppDisplayName    string    `json:"appDisplayName"`
	ClientAppUsed     string    `json:"clientAppUsed"`
	// IPAddress and Location are where the sign-in came from: what finds
	// the printer or the server that still sends with a password.
	IPAddress string         `json:"ipAddress"`
	Location  SignInLocation `json:"location"`
	CAStatus  string         `json:"conditionalAccessStatus"`
	// Applied is Microsoft's record of what each policy did to the sign-in.
	Applied []struct {
		ID                    string   `json:"id"`
		DisplayName           string   `json:"displayName"`
		Result                string   `json:"result"`
		EnforcedGrantControls []string `json:"enforcedGrantControls"`
	} `json:"appliedConditionalAccessPolicies"`
	Status struct {
		ErrorCode     int    `json:"errorCode"`
		FailureReason string `json:"failureReason"`
	} `json:"status"`
	// RequirementProviders says what demanded MFA (beta): user (per-user
	// MFA), multiConditionalAccess, securityDefaults, ...
	Requirements []struct {
		Provider string `json:"requirementProvider"`
	} `json:"authenticationRequirementPolicies"`
}

// SignInLocation is Graph's signInLocation, as far as apppass shows it.
type SignInLocation struct {
	City            string `json:"city"`
	State           string `json:"state"`
	CountryOrRegion string `json:"countryOrRegion"`
}

// String is the place in words ("" when Graph named none).
func (l SignInLocation) String() string {
	var parts []string
	for _, p := range []string{l.City, l.State, l.CountryOrRegion} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// Failed reports a sign-in that did not succeed.
func (s SignIn) Failed() bool { return s.Status.ErrorCode != 0 }

// SignIns lists a user's sign-ins since a time, newest first, all pages
// (needs Entra ID P1). Graph filters errorCode only with eq, so callers
// pick failures themselves.
func (c *Client) SignIns(ctx context.Context, upn string, since time.Time) ([]SignIn, error) {
	filter := fmt.Sprintf("userPrincipalName eq '%s' and createdDateTime ge %s and %s",
		strings.ReplaceAll(upn, "'", "''"), since.UTC().Format("2006-01-02T15:04:05Z"), bothSignInKinds)
	rows, err := getAll[SignIn](ctx, c, signInCall(filter, "50"))
	// Two tabs in one answer: keep Graph's newest-first order across them.
	slices.SortStableFunc(rows, func(a, b SignIn) int { return b.Created.Compare(a.Created) })
	return rows, err
}

// bothSignInKinds asks for interactive and non-interactive rows: Graph
// "returns only interactive sign-ins unless you set an explicit filter",
// and where legacy (Basic-auth) sign-ins land is not documented.
const bothSignInKinds = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')"

// signInCall reads the sign-in log: beta (for signInEventTypes and the MFA
// requirement providers), with the Prefer header that makes Graph name
// report-only results instead of unknownFutureValue.
func signInCall(filter, top string) call {
	return call{version: "beta", path: "/auditLogs/signIns",
		query: url.Values{"$filter": {filter}, "$top": {top}}, unknownEnums: true}
}

// SharePointSettings are the tenant's SharePoint settings apppass reads.
type SharePointSettings struct {
	// LegacyAuthEnabled is isLegacyAuthProtocolsEnabled (IDCRL and friends).
	LegacyAuthEnabled bool `json:"isLegacyAuthProtocolsEnabled"`
}

// SharePointSettings reads the tenant's SharePoint settings (SharePoint Administrator).
func (c *Client) SharePointSettings(ctx context.Context) (SharePointSettings, error) {
	var s SharePointSettings
	err := c.getJSON(ctx, call{version: "v1.0", path: "/admin/sharepoint/settings"}, &s)
	return s, err
}
