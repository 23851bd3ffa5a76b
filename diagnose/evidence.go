// Package diagnose turns evidence about a failing Microsoft 365 sign-in into
// findings, a verdict ("can an app password fix this?") and a plan. It is
// pure: no I/O, no UI, the clock comes in with the evidence. It also renders
// reports. Its rules follow M365-FACTS.md.
package diagnose

import "time"

// Status says how a piece of evidence came back.
type Status string

// Evidence statuses.
const (
	StatusOK      Status = "ok"        // checked, Value holds the answer
	StatusDenied  Status = "denied"    // the signed-in person lacks a role or scope (Missing says which)
	StatusLicence Status = "licence"   // the tenant lacks a licence (Missing says which)
	StatusNoAPI   Status = "no-api"    // Microsoft offers no API for it
	StatusFailed  Status = "failed"    // the call failed (Err says how)
	StatusNotRun  Status = "not-run"   // not asked for (e.g. the password check without consent)
	StatusMissing Status = "not-found" // the object does not exist
)

// Item is one piece of evidence of type T and how it came back.
type Item[T any] struct {
	Status    Status `json:"status"`
	Value     T      `json:"value,omitzero"`
	Missing   string `json:"missing,omitempty"`
	Err       string `json:"error,omitempty"`
	RequestID string `json:"requestId,omitempty"`
}

// OK wraps a value that was checked.
func OK[T any](v T) Item[T] { return Item[T]{Status: StatusOK, Value: v} }

// Known reports whether the item holds an answer.
func (i Item[T]) Known() bool { return i.Status == StatusOK }

// Evidence is everything known about the failing connection.
type Evidence struct {
	// Now is the date the retirement calendar is judged against.
	Now time.Time `json:"now"`
	// Service is what the failing app uses.
	Service Service `json:"service"`
	// UPN is the account the app signs in as.
	UPN string `json:"upn"`
	// Caller is the UPN of the person running apppass: the account's owner
	// can create and test its app password with no admin role.
	Caller string `json:"caller,omitempty"`
	// CallerRoles are the role template ids of the person running apppass.
	CallerRoles []string `json:"callerRoles,omitempty"`
	// RolesRead is how reading CallerRoles came back; its value is how many
	// directory roles were read. A failed read leaves CallerRoles empty.
	RolesRead Item[int] `json:"callerRolesRead"`

	Account          Item[Account]    `json:"account"`
	PerUserMFA       Item[string]     `json:"perUserMfa"`
	Methods          Item[[]string]   `json:"methods"`
	SecurityDefaults Item[bool]       `json:"securityDefaults"`
	Policies         Item[[]CAPolicy] `json:"conditionalAccess"`
	// NamedLocations names the locations policies refer to; only for wording.
	NamedLocations      Item[[]NamedLocation] `json:"namedLocations"`
	Membership          Item[Membership]      `json:"membership"`
	SignIns             Item[[]SignIn]        `json:"signIns"`
	SharePointLegacy    Item[bool]            `json:"sharePointLegacyAuth"`
	AppPasswordsSetting Item[bool]            `json:"appPasswordsAllowed"`
	PastedError         string                `json:"-"`
	PasswordCheck       Item[int]             `json:"passwordCheck"`
	SMTPTest            Item[string]          `json:"smtpTest"`
	// SMTPOAuthTest is the owner's test of the OAuth route: SMTP AUTH's
	// reply to XOAUTH2, or Entra's refusal of the token request
	// ("AADSTSnnnnn: ..."). No token is kept.
	SMTPOAuthTest Item[string] `json:"smtpOAuthTest"`
	// Exchange is what Exchange Online's admin endpoint said of the SMTP
	// AUTH switches (not run when the service is not SMTP or the client
	// cannot ask).
	Exchange Item[ExchangeSwitches] `json:"exchange"`
	// TenantCreated is when the organisation was created: SMTP AUTH is
	// disabled by default in organisations created after January 2020.
	TenantCreated Item[time.Time] `json:"tenantCreated"`
	// SMTPTestedAppPassword says the SMTP test's secret was an app password
	// (the wizard's test step), not the regular password.
	SMTPTestedAppPassword bool `json:"smtpTestedAppPassword,omitempty"`
	// AppWatch is what watching the log after the change saw of the app's
	// own sign-in; nil when no one watched.
	AppWatch *AppWatch `json:"appWatch,omitempty"`
}

// Account is what the directory says of the account.
type Account struct {
	ID                string    `json:"id"`
	UPN               string    `json:"userPrincipalName"`
	DisplayName       string    `json:"displayName"`
	Enabled           bool      `json:"accountEnabled"`
	Guest             bool      `json:"guest"`
	Synced            bool      `json:"onPremisesSynced"`
	Federated         bool      `json:"federatedDomain"`
	SessionsValidFrom time.Time `json:"signInSessionsValidFrom,omitzero"`
}

// Membership is the account's groups (object ids) and roles (template ids),
// for Conditional Access scope.
type Membership struct {
	GroupIDs        []string `json:"groupIds,omitempty"`
	RoleTemplateIDs []string `json:"roleTemplateIds,omitempty"`
}

// SignIn is one sign-in log row.
type SignIn struct {
	Time          time.Time `json:"time"`
	ClientAppUsed string    `json:"clientAppUsed"`
	AppName       string    `json:"appDisplayName"`
	ErrorCode     int       `json:"errorCode"`
	// MFAProviders says what demanded MFA: user (per-user MFA),
	// multiConditionalAccess, securityDefaults (beta sign-in log).
	MFAProviders []string `json:"mfaProviders,omitempty"`
	// CAStatus is conditionalAccessStatus: success, failure, notApplied.
	CAStatus string `json:"conditionalAccessStatus,omitempty"`
	// Applied is appliedConditionalAccessPolicies: Microsoft's own record of
	// what each policy did to this sign-in.
	Applied []AppliedPolicy `json:"appliedConditionalAccessPolicies,omitempty"`
	// IPAddress is where the sign-in came from (the watch for the app's
	// own sign-in reads it; the diagnosis does not need it).
	IPAddress string `json:"ipAddress,omitempty"`
}

// AppliedPolicy is one entry of a sign-in's appliedConditionalAccessPolicies.
type AppliedPolicy struct {
	ID   string `json:"id"`
	Name string `json:"displayName"`
	// Result is success, failure, notApplied, notEnabled, reportOnlySuccess,
	// reportOnlyFailure, reportOnlyNotApplied, reportOnlyInterrupted, ...
	Result string `json:"result"`
	// Controls are the enforcedGrantControls.
	Controls []string `json:"enforcedGrantControls,omitempty"`
}

// GuestsOrExternal is a policy's guest condition: the kinds of guests and
// external users it names, and whether it names them from every tenant.
type GuestsOrExternal struct {
	Types      []string `json:"guestOrExternalUserTypes"`
	AllTenants bool     `json:"allExternalTenants"`
}

// NamedLocation is a named location policies may include or exclude.
type NamedLocation struct {
	ID      string `json:"id"`
	Name    string `json:"displayName"`
	Trusted bool   `json:"isTrusted"`
}

// CAPolicy is a Conditional Access policy with every condition Graph's
// conditionalAccessPolicy carries that can decide a sign-in.
type CAPolicy struct {
	ID                  string   `json:"id"`
	Name                string   `json:"displayName"`
	State               string   `json:"state"`
	ClientAppTypes      []string `json:"clientAppTypes"`
	IncludeApplications []string `json:"includeApplications,omitempty"`
	ExcludeApplications []string `json:"excludeApplications,omitempty"`
	// IncludeUserActions and AuthContexts make a policy about an action or an
	// authentication context, not about signing in to an app.
	IncludeUserActions []string `json:"includeUserActions,omitempty"`
	AuthContexts       []string `json:"includeAuthenticationContextClassReferences,omitempty"`
	IncludeUsers       []string `json:"includeUsers,omitempty"`
	ExcludeUsers       []string `json:"excludeUsers,omitempty"`
	IncludeGroups      []string `json:"includeGroups,omitempty"`
	ExcludeGroups      []string `json:"excludeGroups,omitempty"`
	IncludeRoles       []string `json:"includeRoles,omitempty"`
	ExcludeRoles       []string `json:"excludeRoles,omitempty"`
	// IncludeGuests and ExcludeGuests are the newer guest conditions
	// (includeGuestsOrExternalUsers, excludeGuestsOrExternalUsers).
	IncludeGuests *GuestsOrExternal `json:"includeGuestsOrExternalUsers,omitempty"`
	ExcludeGuests *GuestsOrExternal `json:"excludeGuestsOrExternalUsers,omitempty"`
	// ForWorkloads: the policy targets service principals (clientApplications), not users.
	ForWorkloads     bool     `json:"forWorkloadIdentities,omitempty"`
	IncludeLocations []string `json:"includeLocations,omitempty"`
	ExcludeLocations []string `json:"excludeLocations,omitempty"`
	IncludePlatforms []string `json:"includePlatforms,omitempty"`
	ExcludePlatforms []string `json:"excludePlatforms,omitempty"`
	SignInRisk       []string `json:"signInRiskLevels,omitempty"`
	UserRisk         []string `json:"userRiskLevels,omitempty"`
	InsiderRisk      string   `json:"insiderRiskLevels,omitempty"`
	// DeviceFilter is devices.deviceFilter's rule ("" when none) and DeviceFilterMode include or exclude.
	DeviceFilter     string `json:"deviceFilter,omitempty"`
	DeviceFilterMode string `json:"deviceFilterMode,omitempty"`
	// TransferMethods is authenticationFlows.transferMethods (deviceCodeFlow, authenticationTransfer).
	TransferMethods string   `json:"transferMethods,omitempty"`
	GrantControls   []string `json:"builtInControls,omitempty"`
	TermsOfUse      []string `json:"termsOfUse,omitempty"`
	CustomFactors   []string `json:"customAuthenticationFactors,omitempty"`
	AuthStrength    string   `json:"authenticationStrength,omitempty"`
}
