package simcloud

import (
	"crypto/sha256"
	"fmt"
	"sort"
)

// Per-user MFA states as Graph spells them.
const (
	MFADisabled = "disabled"
	MFAEnabled  = "enabled"
	MFAEnforced = "enforced"
)

// SMTP AUTH tenant states.
const (
	SMTPAuthEnabled  = "enabled"
	SMTPAuthDisabled = "disabled"
	SMTPAuthBasicOff = "basic-off"
	SMTPAuthRemoved  = "removed"
)

// defaultAppIP is where the failing app signs in from unless a scenario says (TEST-NET-3).
const defaultAppIP = "203.0.113.24"

// methodTypes maps the scenario's short method names to Graph @odata.type values.
var methodTypes = map[string]string{
	"password":                "#microsoft.graph.passwordAuthenticationMethod",
	"microsoftAuthenticator":  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
	"phone":                   "#microsoft.graph.phoneAuthenticationMethod",
	"fido2":                   "#microsoft.graph.fido2AuthenticationMethod",
	"softwareOath":            "#microsoft.graph.softwareOathAuthenticationMethod",
	"email":                   "#microsoft.graph.emailAuthenticationMethod",
	"windowsHelloForBusiness": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
}

func methodNames() []string {
	var names []string
	for n := range methodTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// roleTemplateIDs are Entra's built-in role template ids (the same in every tenant).
var roleTemplateIDs = map[string]string{
	"Global Administrator":                    "62e90394-69f5-4237-9190-012177145e10",
	"Global Reader":                           "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
	"Authentication Policy Administrator":     "0526716b-113d-4c15-b2c8-68e3c22b9f80",
	"Authentication Administrator":            "c4e39bd9-1100-46d3-8c65-fb160da0071f",
	"Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
	"Helpdesk Administrator":                  "729827e3-9c14-49f7-bb1b-9608f156bbb8",
	"User Administrator":                      "fe930be7-5e62-47db-91af-98c3a49a38b1",
	"Security Reader":                         "5d6b6bb7-de71-4623-b4af-96380a352509",
	"Security Administrator":                  "194ae4cb-b126-40b2-bd5b-6091b380977d",
	"Reports Reader":                          "4a5d8f65-41da-4de4-8968-e035b65339cf",
	"Conditional Access Administrator":        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
	"SharePoint Administrator":                "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
	"Exchange Administrator":                  "29232cdf-9323-42fd-ade2-1d097af3e4de",
	"Security Operator":                       "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f",
}

// Role groups that Microsoft documents for each kind of call (M365-FACTS.md section 3).
// Global Administrator is implied everywhere.
var (
	rolesReadMFA      = []string{"Global Reader", "Authentication Policy Administrator"}
	rolesWriteMFA     = []string{"Authentication Policy Administrator"}
	rolesReadMethods  = []string{"Global Reader", "Authentication Administrator", "Privileged Authentication Administrator"}
	rolesRevoke       = []string{"Helpdesk Administrator", "Authentication Administrator", "User Administrator", "Privileged Authentication Administrator"}
	rolesReadPolicies = []string{"Global Reader", "Security Reader", "Security Administrator", "Conditional Access Administrator"}
	rolesReadLogs     = []string{"Global Reader", "Reports Reader", "Security Reader", "Security Operator", "Security Administrator"}
	rolesSharePoint   = []string{"SharePoint Administrator", "Global Reader"}
	// rolesReports read Microsoft 365 usage reports (Graph, "Authorization
	// for APIs to read Microsoft 365 usage reports"; Global Administrator always).
	rolesReports = []string{"Global Reader", "Reports Reader", "Exchange Administrator", "Usage Summary Reports Reader"}
)

// allScopes is what apppass asks for; a tenant consents to them unless the
// scenario says otherwise.
var allScopes = []string{
	"User.Read", "User.Read.All", "Directory.Read.All", "Policy.Read.All",
	"Policy.ReadWrite.AuthenticationMethod", "UserAuthenticationMethod.Read.All",
	"User.RevokeSessions.All", "AuditLog.Read.All", "SharePointTenantSettings.Read.All",
	"UserAuthenticationMethod.Read", "Reports.Read.All", "offline_access", "openid", "profile",
	"SMTP.Send",   // Exchange Online's, for SMTP AUTH with XOAUTH2
	exchangeScope, // Exchange Online's admin endpoint (through its .default)
}

// stableID derives a GUID-shaped id from a seed, so scenario files need no ids
// and runs are reproducible.
func stableID(seed string) string {
	b := sha256.Sum256([]byte(seed))
	b[6] = b[6]&0x0f | 0x40 // version 4 shape
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
