package diagnose

import "slices"

// Entra built-in role template ids (the same in every tenant).
const (
	RoleGlobalAdmin          = "62e90394-69f5-4237-9190-012177145e10"
	RoleGlobalReader         = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
	RoleAuthPolicyAdmin      = "0526716b-113d-4c15-b2c8-68e3c22b9f80"
	RoleAuthAdmin            = "c4e39bd9-1100-46d3-8c65-fb160da0071f"
	RolePrivilegedAuthAdmin  = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
	RoleHelpdeskAdmin        = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
	RoleUserAdmin            = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	RoleSecurityReader       = "5d6b6bb7-de71-4623-b4af-96380a352509"
	RoleSecurityAdmin        = "194ae4cb-b126-40b2-bd5b-6091b380977d"
	RoleReportsReader        = "4a5d8f65-41da-4de4-8968-e035b65339cf"
	RoleConditionalAccessAdm = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
	RoleSharePointAdmin      = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"
	RoleExchangeAdmin        = "29232cdf-9323-42fd-ade2-1d097af3e4de"
	RoleSecurityOperator     = "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f"
)

// RoleNames gives the role names for template ids.
var RoleNames = map[string]string{
	RoleGlobalAdmin: "Global Administrator", RoleGlobalReader: "Global Reader",
	RoleAuthPolicyAdmin: "Authentication Policy Administrator", RoleAuthAdmin: "Authentication Administrator",
	RolePrivilegedAuthAdmin: "Privileged Authentication Administrator", RoleHelpdeskAdmin: "Helpdesk Administrator",
	RoleUserAdmin: "User Administrator", RoleSecurityReader: "Security Reader", RoleSecurityAdmin: "Security Administrator",
	RoleReportsReader: "Reports Reader", RoleConditionalAccessAdm: "Conditional Access Administrator",
	RoleSharePointAdmin: "SharePoint Administrator", RoleExchangeAdmin: "Exchange Administrator",
	RoleSecurityOperator: "Security Operator",
}

// Roles that can do each thing (M365-FACTS.md section 3); Global
// Administrator can do all of them.
var (
	RolesManageMFA   = []string{RoleAuthPolicyAdmin}
	RolesRevoke      = []string{RoleHelpdeskAdmin, RoleAuthAdmin, RoleUserAdmin, RolePrivilegedAuthAdmin}
	RolesReadMFA     = []string{RoleGlobalReader, RoleAuthPolicyAdmin}
	RolesReadMethods = []string{RoleGlobalReader, RoleAuthAdmin, RolePrivilegedAuthAdmin}
	RolesReadCA      = []string{RoleGlobalReader, RoleSecurityReader, RoleSecurityAdmin, RoleConditionalAccessAdm}
	RolesReadLogs    = []string{RoleGlobalReader, RoleReportsReader, RoleSecurityReader, RoleSecurityOperator, RoleSecurityAdmin}
	RolesSharePoint  = []string{RoleSharePointAdmin, RoleGlobalReader}
	RolesExchange    = []string{RoleExchangeAdmin}
)

// HasAnyRole reports whether held includes one of want, or Global Administrator.
func HasAnyRole(held, want []string) bool {
	for _, r := range held {
		if r == RoleGlobalAdmin || slices.Contains(want, r) {
			return true
		}
	}
	return false
}

// RoleList names the roles, joined with "or".
func RoleList(ids []string) string {
	s := ""
	for i, id := range ids {
		switch {
		case i == 0:
		case i == len(ids)-1:
			s += " or "
		default:
			s += ", "
		}
		s += RoleNames[id]
	}
	return s
}
