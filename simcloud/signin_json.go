package simcloud

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

// signInStatus is a row's outcome; additionalDetails is always null here.
type signInStatus struct {
	ErrorCode         int     `json:"errorCode"`
	FailureReason     string  `json:"failureReason"`
	AdditionalDetails *string `json:"additionalDetails"`
}

// betaSignInRow adds what only beta serves: what demanded MFA.
type betaSignInRow struct {
	signInRow
	Requirements []requirementPolicy `json:"authenticationRequirementPolicies"`
}

// requirementPolicy is one authenticationRequirementPolicy (detail is null here).
type requirementPolicy struct {
	RequirementProvider string  `json:"requirementProvider"`
	Detail              *string `json:"detail"`
}

// noRiskEvents is every row's riskEventTypes: simulated sign-ins carry no risk.
var noRiskEvents = []string{}

// signInRows turns log rows into Graph's JSON rows for one version.
func signInRows(page []signInEntry, beta bool, ip string) any {
	if !beta {
		rows := make([]signInRow, len(page))
		for i := range page {
			rows[i] = signInRowOf(&page[i], ip)
		}
		return rows
	}
	rows := make([]betaSignInRow, len(page))
	for i := range page {
		e := &page[i]
		rows[i] = betaSignInRow{signInRow: signInRowOf(e, ip), Requirements: []requirementPolicy{}}
		if e.MFAProvider != "" {
			rows[i].Requirements = []requirementPolicy{{RequirementProvider: e.MFAProvider}}
		}
	}
	return rows
}

// signInRowOf is one row as v1.0 serves it; every row carries the app's address.
func signInRowOf(e *signInEntry, ip string) signInRow {
	reason := e.Reason
	if e.ErrorCode == 0 {
		reason = "Other."
	}
	return signInRow{
		ID: e.ID, CreatedDateTime: e.Created.Format(graphTime),
		UserDisplayName: e.DisplayName, UserPrincipalName: e.UPN, UserID: e.UserID,
		AppID: e.AppID, AppDisplayName: e.AppName, IPAddress: ip,
		ClientAppUsed: e.ClientAppUsed, CorrelationID: e.CorrelationID,
		ConditionalAccessStatus: e.CAStatus,
		RiskDetail:              "none", RiskLevelAggregated: "none", RiskLevelDuringSignIn: "none", RiskState: "none",
		RiskEventTypes: noRiskEvents, ResourceDisplayName: resourceName(e.ClientAppUsed),
		Status:  signInStatus{ErrorCode: e.ErrorCode, FailureReason: reason},
		Applied: applied(e.Applied),
	}
}

// applied is appliedConditionalAccessPolicies, never null.
func applied(a []AppliedPolicy) []AppliedPolicy {
	if a == nil {
		return []AppliedPolicy{}
	}
	return a
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
