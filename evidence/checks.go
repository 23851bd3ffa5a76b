package evidence

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/apppass/apppass/diagnose"
	"github.com/apppass/apppass/graphclient"
)

// failed turns a Graph error into a typed evidence item: which role is
// missing, which licence, or what went wrong (with the request id).
func failed[T any](err error, roles []string) diagnose.Item[T] {
	item := diagnose.Item[T]{Status: diagnose.StatusFailed, Err: plainError(err), RequestID: graphclient.RequestID(err)}
	switch {
	case graphclient.IsLicenceRequired(err):
		item.Status, item.Missing = diagnose.StatusLicence, "Microsoft Entra ID P1"
	case graphclient.IsForbidden(err):
		item.Status, item.Missing = diagnose.StatusDenied, "the "+diagnose.RoleList(roles)+" role"
	case graphclient.IsNotFound(err):
		item.Status = diagnose.StatusMissing
	}
	return item
}

// plainError words an error for a person, without Go's wrapping chatter.
func plainError(err error) string {
	switch {
	case errors.Is(err, graphclient.ErrUnreachable):
		return "no answer from Microsoft Graph (network or time-out); try again"
	case errors.Is(err, graphclient.ErrMalformedResponse):
		return "Microsoft Graph sent an answer apppass could not read; try again"
	case graphclient.IsThrottled(err):
		return "Microsoft Graph is throttling requests; wait a minute and try again"
	case graphclient.IsUnavailable(err):
		return "Microsoft Graph is unavailable for now; wait a minute and try again"
	case errors.Is(err, context.DeadlineExceeded):
		return "the check took too long; try again"
	}
	return err.Error()
}

func (g *gatherer) account(ctx context.Context) {
	u, err := g.g.User(ctx, g.req.UPN)
	item := diagnose.OK(diagnose.Account{ID: u.ID, UPN: u.UserPrincipalName, DisplayName: u.DisplayName,
		Enabled: u.AccountEnabled, Guest: u.IsGuest(), Synced: u.Synced(), SessionsValidFrom: u.SignInSessionsValidFrom})
	if err != nil {
		item = failed[diagnose.Account](err, []string{diagnose.RoleGlobalReader})
		item.Missing = strings.Replace(item.Missing, "role", "role or the User.Read.All permission", 1)
	}
	g.set(diagnose.CheckAccount, func(ev *diagnose.Evidence) { ev.Account = item })
}

func (g *gatherer) roles(ctx context.Context) {
	roles, err := g.g.MyDirectoryRoles(ctx)
	ids := make([]string, 0, len(roles))
	for _, r := range roles {
		ids = append(ids, r.TemplateID)
	}
	item := diagnose.OK(len(ids))
	if err != nil {
		ids = nil // unknown roles: the plan then assumes an admin may be needed
		item = failed[int](err, nil)
		if item.Status == diagnose.StatusDenied {
			item.Missing = "the User.Read permission"
		}
	}
	g.set(diagnose.CheckRoles, func(ev *diagnose.Evidence) { ev.CallerRoles, ev.RolesRead = ids, item })
}

func (g *gatherer) perUser(ctx context.Context, key string) {
	st, err := g.g.PerUserMFAState(ctx, key)
	item := diagnose.OK(string(st))
	if err != nil {
		item = failed[string](err, diagnose.RolesReadMFA)
	}
	g.set(diagnose.CheckPerUserMFA, func(ev *diagnose.Evidence) { ev.PerUserMFA = item })
}

func (g *gatherer) methods(ctx context.Context, key string) {
	ms, err := g.g.AuthenticationMethods(ctx, key)
	kinds := make([]string, 0, len(ms))
	for _, m := range ms {
		kinds = append(kinds, m.Kind)
	}
	item := diagnose.OK(kinds)
	if err != nil {
		item = failed[[]string](err, diagnose.RolesReadMethods)
	}
	g.set(diagnose.CheckMethods, func(ev *diagnose.Evidence) { ev.Methods = item })
}

func (g *gatherer) membership(ctx context.Context, key string) {
	m, err := g.g.MemberOf(ctx, key)
	item := diagnose.OK(diagnose.Membership{GroupIDs: m.GroupIDs, RoleTemplateIDs: m.RoleTemplateIDs})
	if err != nil {
		item = failed[diagnose.Membership](err, []string{diagnose.RoleGlobalReader})
	}
	g.set(diagnose.CheckMembership, func(ev *diagnose.Evidence) { ev.Membership = item })
}

func (g *gatherer) securityDefaults(ctx context.Context) {
	on, err := g.g.SecurityDefaults(ctx)
	item := diagnose.OK(on)
	if err != nil {
		item = failed[bool](err, diagnose.RolesReadCA)
	}
	g.set(diagnose.CheckSecurityDefaults, func(ev *diagnose.Evidence) { ev.SecurityDefaults = item })
}

// policies reads the policies and, at the same time, the named locations
// that only word what a location condition means.
func (g *gatherer) policies(ctx context.Context) {
	var locations diagnose.Item[[]diagnose.NamedLocation]
	got := make(chan struct{})
	go func() {
		defer close(got)
		ls, err := g.g.NamedLocations(ctx)
		out := make([]diagnose.NamedLocation, 0, len(ls))
		for _, l := range ls {
			out = append(out, diagnose.NamedLocation{ID: l.ID, Name: l.DisplayName, Trusted: l.IsTrusted})
		}
		locations = diagnose.OK(out)
		if err != nil {
			locations = failed[[]diagnose.NamedLocation](err, diagnose.RolesReadCA)
		}
	}()
	ps, err := g.g.ConditionalAccessPolicies(ctx)
	out := make([]diagnose.CAPolicy, 0, len(ps))
	for _, p := range ps {
		out = append(out, caPolicy(p))
	}
	item := diagnose.OK(out)
	if err != nil {
		item = failed[[]diagnose.CAPolicy](err, diagnose.RolesReadCA)
	}
	<-got
	g.set(diagnose.CheckConditional, func(ev *diagnose.Evidence) { ev.Policies, ev.NamedLocations = item, locations })
}

// caPolicy flattens Graph's policy into the conditions the rules read.
func caPolicy(p graphclient.CAPolicy) diagnose.CAPolicy {
	c := p.Conditions
	dp := diagnose.CAPolicy{ID: p.ID, Name: p.DisplayName, State: p.State,
		ClientAppTypes:      c.ClientAppTypes,
		IncludeApplications: c.Applications.IncludeApplications, ExcludeApplications: c.Applications.ExcludeApplications,
		IncludeUserActions: c.Applications.IncludeUserActions, AuthContexts: c.Applications.AuthContexts,
		IncludeUsers: c.Users.IncludeUsers, ExcludeUsers: c.Users.ExcludeUsers,
		IncludeGroups: c.Users.IncludeGroups, ExcludeGroups: c.Users.ExcludeGroups,
		IncludeRoles: c.Users.IncludeRoles, ExcludeRoles: c.Users.ExcludeRoles,
		SignInRisk: c.SignInRiskLevels, UserRisk: c.UserRiskLevels,
		ForWorkloads: c.ClientApplications != nil && len(c.ClientApplications.IncludeServicePrincipals) > 0}
	dp.IncludeGuests, dp.ExcludeGuests = guestsOf(c.Users.IncludeGuestsOrExternalUsers), guestsOf(c.Users.ExcludeGuestsOrExternalUsers)
	if c.Locations != nil {
		dp.IncludeLocations, dp.ExcludeLocations = c.Locations.IncludeLocations, c.Locations.ExcludeLocations
	}
	if c.Platforms != nil {
		dp.IncludePlatforms, dp.ExcludePlatforms = c.Platforms.IncludePlatforms, c.Platforms.ExcludePlatforms
	}
	if c.InsiderRiskLevels != nil {
		dp.InsiderRisk = *c.InsiderRiskLevels
	}
	if c.Devices != nil && c.Devices.DeviceFilter != nil {
		dp.DeviceFilter, dp.DeviceFilterMode = c.Devices.DeviceFilter.Rule, c.Devices.DeviceFilter.Mode
	}
	if c.AuthenticationFlows != nil {
		dp.TransferMethods = c.AuthenticationFlows.TransferMethods
	}
	if gc := p.GrantControls; gc != nil {
		dp.GrantControls, dp.TermsOfUse, dp.CustomFactors = gc.BuiltInControls, gc.TermsOfUse, gc.CustomAuthenticationFactors
		if gc.AuthenticationStrength != nil {
			dp.AuthStrength = gc.AuthenticationStrength.DisplayName
		}
	}
	return dp
}

// guestsOf flattens a guest condition; nil stays nil.
func guestsOf(g *graphclient.GuestsOrExternalUsers) *diagnose.GuestsOrExternal {
	if g == nil {
		return nil
	}
	out := &diagnose.GuestsOrExternal{AllTenants: g.ExternalTenants == nil || strings.EqualFold(g.ExternalTenants.MembershipKind, "all")}
	for _, t := range strings.Split(g.Types, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out.Types = append(out.Types, t)
		}
	}
	return out
}

// signInOf is a sign-in log row as diagnose reads it.
func signInOf(r graphclient.SignIn) diagnose.SignIn {
	s := diagnose.SignIn{Time: r.Created, ClientAppUsed: r.ClientAppUsed, AppName: r.AppDisplayName, ErrorCode: r.Status.ErrorCode,
		CAStatus: r.CAStatus}
	for _, req := range r.Requirements {
		s.MFAProviders = append(s.MFAProviders, req.Provider)
	}
	for _, a := range r.Applied {
		s.Applied = append(s.Applied, diagnose.AppliedPolicy{ID: a.ID, Name: a.DisplayName, Result: a.Result, Controls: a.EnforcedGrantControls})
	}
	return s
}

func (g *gatherer) signIns(ctx context.Context) {
	rows, err := g.g.SignIns(ctx, g.req.UPN, g.req.Now.Add(-g.req.SignInsSince))
	out := make([]diagnose.SignIn, 0, len(rows))
	for _, r := range rows {
		out = append(out, signInOf(r))
	}
	item := diagnose.OK(out)
	if err != nil {
		item = failed[[]diagnose.SignIn](err, diagnose.RolesReadLogs)
	}
	g.set(diagnose.CheckSignIns, func(ev *diagnose.Evidence) { ev.SignIns = item })
}

func (g *gatherer) sharePoint(ctx context.Context) {
	if g.req.Service != diagnose.ServiceSharePoint {
		g.set(diagnose.CheckSharePoint, func(ev *diagnose.Evidence) {
			ev.SharePointLegacy = diagnose.Item[bool]{Status: diagnose.StatusNotRun}
		})
		return
	}
	s, err := g.g.SharePointSettings(ctx)
	item := diagnose.OK(s.LegacyAuthEnabled)
	if err != nil {
		item = failed[bool](err, diagnose.RolesSharePoint)
	}
	g.set(diagnose.CheckSharePoint, func(ev *diagnose.Evidence) { ev.SharePointLegacy = item })
}

// organization reads the tenant's domains, to tell a federated account; a
// failure only leaves federation unknown, so it is not a checklist line.
// The organisation's creation date decides SMTP AUTH's default (off in
// organisations created after January 2020); a failure leaves it open.
func (g *gatherer) organization(ctx context.Context) {
	org, err := g.g.Organization(ctx)
	created := diagnose.Item[time.Time]{Status: diagnose.StatusMissing}
	switch {
	case err != nil:
		created = failed[time.Time](err, nil)
	case org.Created != nil:
		created = diagnose.OK(org.Created.UTC())
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ev.TenantCreated = created
	if err == nil {
		g.org = &org
	}
}

// applyDomain marks a federated account once the account and tenant are known.
func (g *gatherer) applyDomain() {
	if g.org == nil || !g.ev.Account.Known() {
		return
	}
	if d, ok := g.org.DomainOf(g.ev.Account.Value.UPN); ok && d.Type == "Federated" {
		g.ev.Account.Value.Federated = true
	}
}
