package diagnose

// Severity orders findings.
type Severity string

// Severities, worst first.
const (
	SeverityBlocker Severity = "blocker" // no app password can work while it stands
	SeverityProblem Severity = "problem" // causes the 401
	SeverityWarning Severity = "warning" // matters, or limits what apppass could check
	SeverityInfo    Severity = "info"
)

// Finding is one thing the diagnosis found, with where the rule comes from
// and who can fix it.
type Finding struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Detail   string   `json:"detail"`
	Source   string   `json:"source"`
	Fix      string   `json:"fix,omitempty"`
	Who      string   `json:"who,omitempty"`
}

// Microsoft documentation the rules rest on.
const (
	srcAppPasswords     = "https://learn.microsoft.com/entra/identity/authentication/howto-mfa-app-passwords"
	srcUserStates       = "https://learn.microsoft.com/entra/identity/authentication/howto-mfa-userstates"
	srcSecurityDefaults = "https://learn.microsoft.com/entra/fundamentals/security-defaults"
	srcBlockLegacy      = "https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication"
	srcCAPolicies       = "https://learn.microsoft.com/graph/api/conditionalaccessroot-list-policies"
	srcSMTPAuth         = "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission"
	srcExchangeBasic    = "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online"
	srcSharePointLegacy = "https://learn.microsoft.com/graph/api/resources/sharepointsettings"
	srcErrorCodes       = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes"
	srcRevoke           = "https://learn.microsoft.com/graph/api/user-revokesigninsessions"
	srcSignInLogs       = "https://learn.microsoft.com/graph/api/signin-list"
	srcRoles            = "https://learn.microsoft.com/graph/api/directoryrole-list"
	srcUser             = "https://learn.microsoft.com/graph/api/user-get"
	srcSignInCA         = "https://learn.microsoft.com/graph/api/resources/appliedconditionalaccesspolicy"
	srcCAConditions     = "https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset"
	srcMFAMixing        = "https://learn.microsoft.com/entra/identity/authentication/howto-mfa-userstates" // the warning stands at the top of the page; the older anchor is gone
)

// Who can fix things.
const (
	whoOwner      = "the account owner"
	whoAppVendor  = "whoever configures the app (vendor documentation: its modern-auth or OAuth connection)"
	whoMFAAdmin   = "an admin with the Authentication Policy Administrator role"
	whoUserAdmin  = "an admin with the Helpdesk, Authentication or User Administrator role"
	whoExchange   = "an Exchange Administrator"
	whoCAAdmin    = "a Conditional Access Administrator"
	whoSharePoint = "a SharePoint Administrator"
)
