package graphclient

import (
	"context"
	"net/url"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// User is an Entra ID account, with the properties apppass decides on.
type User struct {
	ID                      string    `json:"id"`
	DisplayName             string    `json:"displayName"`
	UserPrincipalName       string    `json:"userPrincipalName"`
	UserType                string    `json:"userType"`
	AccountEnabled          bool      `json:"accountEnabled"`
	OnPremisesSyncEnabled   *bool     `json:"onPremisesSyncEnabled"`
	SignInSessionsValidFrom time.Time `json:"signInSessionsValidFromDateTime"`
	LastPasswordChange      time.Time `json:"lastPasswordChangeDateTime"`
}

// IsGuest reports an external (B2B) account.
func (u User) IsGuest() bool { return strings.EqualFold(u.UserType, "Guest") }

// Synced reports an account synchronised from on-premises Active Directory.
func (u User) Synced() bool { return u.OnPremisesSyncEnabled != nil && *u.OnPremisesSyncEnabled }

// userSelect lists the properties apppass reads; the non-default ones appear only with $select.
const userSelect = "id,displayName,userPrincipalName,userType,accountEnabled,onPremisesSyncEnabled,signInSessionsValidFromDateTime,lastPasswordChangeDateTime"

// Me returns the signed-in user.
func (c *Client) Me(ctx context.Context) (User, error) {
	var u User
	err := c.getJSON(ctx, call{version: "v1.0", path: "/me", query: url.Values{"$select": {"id,displayName,userPrincipalName,userType,accountEnabled"}}}, &u)
	return u, err
}

// User looks an account up by object id or UPN (guests: by object id).
func (c *Client) User(ctx context.Context, idOrUPN string) (User, error) {
	var u User
	err := c.getJSON(ctx, userCall(idOrUPN), &u)
	return u, err
}

// Organization is the tenant.
type Organization struct {
	ID              string   `json:"id"`
	DisplayName     string   `json:"displayName"`
	VerifiedDomains []Domain `json:"verifiedDomains"`
	// Created is when the tenant was created (nil when Graph does not say):
	// SMTP AUTH is disabled by default in organisations created after January 2020.
	Created *time.Time `json:"createdDateTime"`
}

// Domain is a verified domain; Type is Managed or Federated.
type Domain struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	IsDefault bool   `json:"isDefault"`
}

// DomainOf returns the verified domain a UPN belongs to, if any.
func (o Organization) DomainOf(upn string) (Domain, bool) {
	_, host, ok := strings.Cut(upn, "@")
	if !ok {
		return Domain{}, false
	}
	for _, d := range o.VerifiedDomains {
		if strings.EqualFold(d.Name, host) {
			return d, true
		}
	}
	return Domain{}, false
}

// Organization returns the signed-in tenant.
func (c *Client) Organization(ctx context.Context) (Organization, error) {
	orgs, err := getAll[Organization](ctx, c, call{version: "v1.0", path: "/organization",
		query: url.Values{"$select": {"id,displayName,verifiedDomains,createdDateTime"}}})
	if err != nil {
		return Organization{}, err
	}
	if len(orgs) == 0 {
		return Organization{}, ErrMalformedResponse
	}
	return orgs[0], nil
}

// DirectoryRole is an activated Entra role held by a user.
type DirectoryRole struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	TemplateID  string `json:"roleTemplateId"`
}

// MyDirectoryRoles lists the signed-in user's directory roles (transitively).
func (c *Client) MyDirectoryRoles(ctx context.Context) ([]DirectoryRole, error) {
	return getAll[DirectoryRole](ctx, c, call{version: "v1.0", path: "/me/transitiveMemberOf/microsoft.graph.directoryRole",
		query: url.Values{"$select": {"id,displayName,roleTemplateId"}}})
}

// Membership is what a user belongs to, for Conditional Access scope:
// group object ids and role template ids.
type Membership struct {
	GroupIDs        []string
	RoleTemplateIDs []string
}

// MemberOf lists a user's groups and roles, transitively.
func (c *Client) MemberOf(ctx context.Context, userID string) (Membership, error) {
	objs, err := getAll[struct {
		Type       string `json:"@odata.type"`
		ID         string `json:"id"`
		TemplateID string `json:"roleTemplateId"`
	}](ctx, c, memberOfCall(userID))
	if err != nil {
		return Membership{}, err
	}
	var m Membership
	for _, o := range objs {
		switch o.Type {
		case "#microsoft.graph.group":
			m.GroupIDs = append(m.GroupIDs, o.ID)
		case "#microsoft.graph.directoryRole":
			m.RoleTemplateIDs = append(m.RoleTemplateIDs, o.TemplateID)
		}
	}
	return m, nil
}

// RevokeSignInSessions invalidates the user's refresh tokens and session
// cookies (not app passwords). signInSessionsValidFromDateTime then moves.
func (c *Client) RevokeSignInSessions(ctx context.Context, userID string) error {
	data, err := c.do(ctx, call{method: abs.POST, version: "v1.0", path: userPath(userID) + "/revokeSignInSessions"})
	if err != nil {
		return err
	}
	var res struct {
		Value *bool `json:"value"`
	}
	if err := decode(data, &res); err != nil {
		return err
	}
	if res.Value == nil || !*res.Value {
		return ErrMalformedResponse
	}
	return nil
}
