package simcloud

import (
	"slices"
	"strings"
)

// The sign-in log in Graph's JSON shape. Rows are structs rather than maps:
// a page holds a thousand of them, and encoding/json writes structs without
// sorting keys or boxing values.

// signInPageBody is one page of GET /auditLogs/signIns.
type signInPageBody struct {
	Context  string `json:"@odata.context"`
	Value    any    `json:"value"` // []signInRow (v1.0) or []betaSignInRow
	NextLink string `json:"@odata.nextLink,omitempty"`
}

// signInRow is Graph's signIn resource (v1.0).
type signInRow struct {
	ID                      string          `json:"id"`
	CreatedDateTime         string          `json:"createdDateTime"`
	UserDisplayName         string          `json:"userDisplayName"`
	UserPrincipalName       string          `json:"userPrincipalName"`
	UserID                  string          `json:"userId"`
	AppID                   string          `json:"appId"`
	AppDisplayName          string          `json:"appDisplayName"`
	IPAddress               string          `json:"ipAddress"`
	Location                SignInLocation  `json:"location"`
	ClientAppUsed           string          `json:"clientAppUsed"`
	CorrelationID           string          `json:"correlationId"`
	ConditionalAccessStatus string          `json:"conditionalAccessStatus"`
	IsInteractive           bool            `json:"isInteractive"`
	RiskDetail              string          `json:"riskDetail"`
	RiskLevelAggregated     string          `json:"riskLevelAggregated"`
	RiskLevelDuringSignIn   string          `json:"riskLevelDuringSignIn"`
	RiskState               string          `json:"riskState"`
	RiskEventTypes          []string        `json:"riskEventTypes"`
	ResourceDisplayName     string          `json:"resourceDisplayName"`
	Status                  signInStatus    `json:"status"`
	Applied                 []AppliedPolicy `json:"appliedConditionalAccessPolicies"`
}

// SignInLocation is Graph's signInLocation: where a sign-in came from, as
// Entra places its address.
type SignInLocation struct {
	City            string `json:"city"`
	State           string `json:"state"`
	CountryOrRegion string `json:"countryOrRegion"`
}

// signInStatus is a row's outcome; additionalDetails is always null here.
type signInStatus struct {
	ErrorCode         int     `json:"errorCode"`
	FailureReason     string  `json:"failureReason"`
	AdditionalDetails *string `json:"additionalDetails"`
}

// betaSignInRow adds what only beta serves: what demanded MFA, and the
// log's tab.
type betaSignInRow struct {
	signInRow
	Requirements []requirementPolicy `json:"authenticationRequirementPolicies"`
	EventTypes   []string            `json:"signInEventTypes"`
}

var (
	interactiveTypes    = []string{"interactiveUser"}
	nonInteractiveTypes = []string{"nonInteractiveUser"}
)

// Evolvable enums: Graph returns a member added after unknownFutureValue
// only to a request that sends "Prefer: include-unknown-enum-members", and
// unknownFutureValue to any other (appliedConditionalAccessPolicy.result,
// authenticationRequirementPolicy.requirementProvider).
const unknownFutureValue = "unknownFutureValue"

// laterResults are appliedConditionalAccessPolicy.result's members after
// unknownFutureValue: the report-only results.
var laterResults = []string{"reportOnlySuccess", "reportOnlyFailure", "reportOnlyNotApplied", "reportOnlyInterrupted"}

// laterProviders are requirementProvider's members after unknownFutureValue.
var laterProviders = []string{"scopeBasedAuthRequirementPolicy", "authenticationStrengths"}

// evolvable is an enum value as a request sees it.
func evolvable(v string, later []string, unknownMembers bool) string {
	if !unknownMembers && slices.Contains(later, v) {
		return unknownFutureValue
	}
	return v
}

// PreferUnknownEnums is the Prefer header value that asks Graph for evolvable enum members.
const PreferUnknownEnums = "include-unknown-enum-members"

// prefersUnknownEnums reads a Prefer header (values may be comma-separated).
func prefersUnknownEnums(prefer []string) bool {
	for _, h := range prefer {
		for _, v := range strings.Split(h, ",") {
			if strings.EqualFold(strings.TrimSpace(v), PreferUnknownEnums) {
				return true
			}
		}
	}
	return false
}

// requirementPolicy is one authenticationRequirementPolicy (detail is null here).
type requirementPolicy struct {
	RequirementProvider string  `json:"requirementProvider"`
	Detail              *string `json:"detail"`
}

// noRiskEvents is every row's riskEventTypes: simulated sign-ins carry no risk.
var noRiskEvents = []string{}

// signInRows turns log rows into Graph's JSON rows for one version;
// unknownMembers is whether the request sent the Prefer header.
func signInRows(page []signInEntry, beta, unknownMembers bool, ip string, where SignInLocation) any {
	if !beta {
		rows := make([]signInRow, len(page))
		for i := range page {
			rows[i] = signInRowOf(&page[i], ip, where, unknownMembers)
		}
		return rows
	}
	rows := make([]betaSignInRow, len(page))
	for i := range page {
		e := &page[i]
		rows[i] = betaSignInRow{signInRow: signInRowOf(e, ip, where, unknownMembers), Requirements: []requirementPolicy{}, EventTypes: interactiveTypes}
		if e.NonInteractive {
			rows[i].EventTypes = nonInteractiveTypes
		}
		if e.MFAProvider != "" {
			rows[i].Requirements = []requirementPolicy{{RequirementProvider: evolvable(e.MFAProvider, laterProviders, unknownMembers)}}
		}
	}
	return rows
}

// signInRowOf is one row as v1.0 serves it; every row carries the app's address.
func signInRowOf(e *signInEntry, ip string, where SignInLocation, unknownMembers bool) signInRow {
	reason := e.Reason
	if e.ErrorCode == 0 {
		reason = "Other."
	}
	return signInRow{
		ID: e.ID, CreatedDateTime: e.Created.Format(graphTime),
		UserDisplayName: e.DisplayName, UserPrincipalName: e.UPN, UserID: e.UserID,
		AppID: e.AppID, AppDisplayName: e.AppName, IPAddress: ip, Location: where,
		ClientAppUsed: e.ClientAppUsed, CorrelationID: e.CorrelationID,
		ConditionalAccessStatus: e.CAStatus, IsInteractive: !e.NonInteractive,
		RiskDetail: "none", RiskLevelAggregated: "none", RiskLevelDuringSignIn: "none", RiskState: "none",
		RiskEventTypes: noRiskEvents, ResourceDisplayName: resourceName(e.ClientAppUsed),
		Status:  signInStatus{ErrorCode: e.ErrorCode, FailureReason: reason},
		Applied: applied(e.Applied, unknownMembers),
	}
}

// applied is appliedConditionalAccessPolicies as the request sees it, never
// null. The log's own slice is shared, so a changed result is a copy.
func applied(a []AppliedPolicy, unknownMembers bool) []AppliedPolicy {
	if a == nil {
		return []AppliedPolicy{}
	}
	out := a
	for i, p := range a {
		if r := evolvable(p.Result, laterResults, unknownMembers); r != p.Result {
			if &out[0] == &a[0] {
				out = slices.Clone(a)
			}
			out[i].Result = r
		}
	}
	return out
}

// resourceName is the display name of the resource a client app signs in to.
func resourceName(clientApp string) string {
	switch resourceOf(clientApp) {
	case exchangeOnlineAppID:
		return "Office 365 Exchange Online"
	case sharePointOnlineAppID:
		return "Office 365 SharePoint Online"
	}
	return "Microsoft Graph"
}
