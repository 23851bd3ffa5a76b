package simcloud

import (
	"fmt"
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

// CAConditions is the subset of conditionalAccessConditionSet apppass reads.
type CAConditions struct {
	ClientAppTypes []string         `json:"clientAppTypes"`
	Applications   CAApplications   `json:"applications"`
	Users          CAUserConditions `json:"users"`
}

// CAApplications says which resources a policy covers.
type CAApplications struct {
	IncludeApplications []string `json:"includeApplications"`
	ExcludeApplications []string `json:"excludeApplications"`
}

// CAUserConditions says whom a policy covers.
type CAUserConditions struct {
	IncludeUsers  []string `json:"includeUsers"`
	ExcludeUsers  []string `json:"excludeUsers"`
	IncludeGroups []string `json:"includeGroups"`
	ExcludeGroups []string `json:"excludeGroups"`
	IncludeRoles  []string `json:"includeRoles"`
	ExcludeRoles  []string `json:"excludeRoles"`
}

// CAGrantControl is what a policy demands.
type CAGrantControl struct {
	Operator               string                    `json:"operator"`
	BuiltInControls        []string                  `json:"builtInControls"`
	AuthenticationStrength *CAAuthenticationStrength `json:"authenticationStrength,omitempty"`
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
	return err
}

// isSpecialTarget reports Graph's keywords that stand for sets of users.
func isSpecialTarget(v string) bool {
	switch v {
	case "All", "None", "GuestsOrExternalUsers":
		return true
	}
	return false
}
