package simcloud

import (
	"net"
	"slices"
	"strings"
	"time"
)

// Resource app ids that Conditional Access policies may name.
const (
	exchangeOnlineAppID   = "00000002-0000-0ff1-ce00-000000000000"
	graphAppID            = "00000003-0000-0000-c000-000000000000"
	sharePointOnlineAppID = "00000003-0000-0ff1-ce00-000000000000"
	// graphCommandLineTools is Microsoft Graph Command Line Tools, the
	// first-party public client apppass signs in with by default.
	graphCommandLineTools = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
)

// Conditional Access client app types for the two ways simcloud is signed in to.
const (
	clientTypeLegacy = "other"                       // SMTP AUTH, IMAP, POP: Basic auth
	clientTypeModern = "mobileAppsAndDesktopClients" // ROPC, device code
)

// caVerdict is what the Conditional Access policies did to one sign-in: the
// decision for enforced policies and Graph's record of every policy.
type caVerdict struct {
	block   bool // a block control, or a grant control the client cannot satisfy
	mfa     bool // MFA demanded (a modern client can satisfy it)
	applied []AppliedPolicy
}

// status is the sign-in row's conditionalAccessStatus.
func (v caVerdict) status() string {
	switch {
	case v.block || v.mfa:
		return "failure"
	case slices.ContainsFunc(v.applied, func(a AppliedPolicy) bool { return a.Result == "success" }):
		return "success"
	}
	return "notApplied"
}

// evaluateCA applies every policy to a sign-in of this user, client type and
// resource, as Entra does: a policy applies only when all its conditions
// match. Caller holds mu.
func (d *directory) evaluateCA(u *userState, clientType, resource string) caVerdict {
	var v caVerdict
	for _, p := range d.sc.Policies {
		a := AppliedPolicy{ID: p.ID, DisplayName: p.DisplayName, EnforcedGrantControls: []string{}}
		blocks, mfa := false, false
		if d.policyCovers(p, u, clientType, resource) && p.GrantControls != nil {
			g := p.GrantControls
			switch {
			case slices.Contains(g.BuiltInControls, "block"):
				blocks = true
			case clientType == clientTypeLegacy && g.demands():
				blocks = true // legacy clients cannot satisfy any grant control
			case slices.Contains(g.BuiltInControls, "mfa") || g.AuthenticationStrength != nil:
				mfa = true
			case g.demands():
				blocks = true // device compliance, terms of use and the like: not satisfiable here
			}
			a.EnforcedGrantControls = slices.Clone(g.BuiltInControls)
			a.Result = "success"
			if blocks || mfa {
				a.Result = "failure"
			}
		} else {
			a.Result = "notApplied"
		}
		switch p.State {
		case "enabled":
			v.block, v.mfa = v.block || blocks, v.mfa || mfa
		case "disabled":
			a.Result = "notEnabled"
		default:
			a.Result = "reportOnly" + strings.ToUpper(a.Result[:1]) + a.Result[1:]
		}
		v.applied = append(v.applied, a)
	}
	return v
}

func (d *directory) policyCovers(p CAPolicy, u *userState, clientType, resource string) bool {
	c := p.Conditions
	if !slices.Contains(c.ClientAppTypes, "all") && !slices.Contains(c.ClientAppTypes, clientType) {
		return false
	}
	apps := c.Applications
	if slices.Contains(apps.ExcludeApplications, resource) || len(apps.IncludeUserActions) > 0 ||
		len(apps.IncludeAuthenticationContextClassReferences) > 0 || c.ClientApplications != nil ||
		c.AuthenticationFlows != nil && c.AuthenticationFlows.TransferMethods != "" {
		return false // user actions, contexts, workloads and device-code flows are not these sign-ins
	}
	coversApp := slices.Contains(apps.IncludeApplications, "All") || slices.Contains(apps.IncludeApplications, resource) ||
		(resource == exchangeOnlineAppID && slices.Contains(apps.IncludeApplications, "Office365"))
	return coversApp && d.userInScope(c.Users, u) && d.unseenConditionsMatch(c)
}

// unseenConditionsMatch applies the conditions about where and how the
// sign-in happens: the app's IP address, an unknown device platform (legacy
// and ROPC clients report none), no risk, no registered device.
func (d *directory) unseenConditionsMatch(c CAConditions) bool {
	if l := c.Locations; l != nil && len(l.IncludeLocations) > 0 {
		if !d.inLocations(l.IncludeLocations) || d.inLocations(l.ExcludeLocations) {
			return false
		}
	}
	if p := c.Platforms; p != nil && len(p.IncludePlatforms) > 0 {
		if !slices.Contains(p.IncludePlatforms, "all") {
			return false
		}
	}
	if len(c.SignInRiskLevels) > 0 && !slices.Contains(c.SignInRiskLevels, "none") ||
		len(c.UserRiskLevels) > 0 && !slices.Contains(c.UserRiskLevels, "none") || c.InsiderRiskLevels != "" {
		return false
	}
	if c.Devices != nil && c.Devices.DeviceFilter != nil && c.Devices.DeviceFilter.Mode == "include" {
		return false // no device attributes: an include filter matches nothing
	}
	return true
}

// inLocations reports whether the app's address is in any of the locations.
func (d *directory) inLocations(ids []string) bool {
	ip := net.ParseIP(d.sc.AppIPAddress)
	for _, id := range ids {
		if id == "All" {
			return true
		}
		for _, l := range d.sc.NamedLocations {
			if (l.ID == id || id == "AllTrusted" && l.IsTrusted) && inRanges(ip, l.IPRanges) {
				return true
			}
		}
	}
	return false
}

func inRanges(ip net.IP, ranges []string) bool {
	for _, r := range ranges {
		if _, n, err := net.ParseCIDR(r); err == nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

func (d *directory) userInScope(c CAUserConditions, u *userState) bool {
	guest := strings.EqualFold(u.UserType, "Guest")
	kind := externalKind(u.UserPrincipalName, u.UserType)
	groups := d.groupIDs(u)
	roles := roleIDs(u)
	excluded := slices.Contains(c.ExcludeUsers, u.ID) ||
		(guest && slices.Contains(c.ExcludeUsers, "GuestsOrExternalUsers")) ||
		c.ExcludeGuestsOrExternalUsers.covers(kind) ||
		intersects(c.ExcludeGroups, groups) || intersects(c.ExcludeRoles, roles)
	if excluded {
		return false
	}
	return slices.Contains(c.IncludeUsers, "All") || slices.Contains(c.IncludeUsers, u.ID) ||
		(guest && slices.Contains(c.IncludeUsers, "GuestsOrExternalUsers")) ||
		c.IncludeGuestsOrExternalUsers.covers(kind) ||
		intersects(c.IncludeGroups, groups) || intersects(c.IncludeRoles, roles)
}

func (d *directory) groupIDs(u *userState) []string {
	ids := make([]string, 0, len(u.Groups))
	for _, g := range u.Groups {
		ids = append(ids, d.sc.groupID(g))
	}
	return ids
}

func roleIDs(u *userState) []string {
	ids := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		ids = append(ids, roleTemplateIDs[r])
	}
	return ids
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// mfaRequiredPerUser reports whether per-user MFA demands a second factor
// of a modern sign-in (Enabled users are prompted too, to register).
func (u *userState) mfaRequiredPerUser() bool { return u.PerUserMFAState != MFADisabled }

// mfaProvider names what required MFA, in the words of the beta sign-in log's
// authenticationRequirementPolicies.requirementProvider. Caller holds mu.
func (d *directory) mfaProvider(u *userState, clientApp string) string {
	switch {
	case u.mfaRequiredPerUser():
		return "user"
	case d.sc.Tenant.SecurityDefaults:
		return "securityDefaults"
	case d.evaluateCA(u, clientTypeModern, graphAppID).mfa:
		return "multiConditionalAccess"
	}
	return ""
}

// primaryAuthError checks the account and the secret the way Entra's first
// factor does: 0 when the secret is the account's password (or, for a legacy
// client, one of its app passwords).
func (d *directory) primaryAuthError(u *userState, secret string, legacy bool) int {
	switch {
	case u == nil:
		return 50034
	case u.LockedOut:
		return 50053
	case !u.enabled():
		return 50057
	case secret == u.Password:
		if u.PasswordExpired {
			return 50055
		}
		return 0
	case legacy && u.mfaRequiredPerUser() && slices.Contains(u.appPasswords, secret):
		return 0
	}
	return 50126
}

// passwordGrant decides a resource-owner password (ROPC) sign-in to Graph and
// logs it. It returns the AADSTS code, 0 for success. Caller holds mu.
func (d *directory) passwordGrant(u *userState, password string) int {
	code := d.primaryAuthError(u, password, false)
	if code == 0 {
		ca := d.evaluateCA(u, clientTypeModern, graphAppID)
		needMFA := ca.mfa || d.sc.Tenant.SecurityDefaults || u.mfaRequiredPerUser()
		switch {
		case ca.block:
			code = 53003
		case needMFA && u.registered():
			code = 50076
		case needMFA:
			code = 50079
		}
	}
	if u != nil {
		d.logSignIn(u, d.now(), "Mobile Apps and Desktop clients", "Microsoft Graph Command Line Tools", code)
	}
	return code
}

// interactiveSignIn decides a browser sign-in to Graph and logs it. The
// simulated person completes any MFA prompt, so only the first factor and
// a blocking Conditional Access policy refuse it. It returns the AADSTS
// code, 0 for success. Caller holds mu.
func (d *directory) interactiveSignIn(u *userState, password string) int {
	code := d.primaryAuthError(u, password, false)
	if code == 0 && d.evaluateCA(u, clientTypeModern, graphAppID).block {
		code = 53003
	}
	if u != nil {
		d.logSignIn(u, d.now(), "Mobile Apps and Desktop clients", "Microsoft Graph Command Line Tools", code)
	}
	return code
}

// SMTP AUTH replies, as Exchange Online words them.
const (
	smtpOK              = "235 2.7.0 Authentication successful"
	smtpBadCredentials  = "535 5.7.3 Authentication unsuccessful"
	smtpTenantDisabled  = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."
	smtpMailboxDisabled = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information."
	smtpSecurityDefault = "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator."
	smtpCriteria        = "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator."
	smtpBasicOff        = "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. Visit https://aka.ms/smtp_auth_disabled for more information."
	smtpRemoved         = "550 5.7.30 Basic authentication is not supported for Client Submission."
)

// smtpAuth decides a Basic-auth SMTP client submission and logs it in the
// sign-in log as Entra would. It returns the full SMTP reply line.
func (d *directory) smtpAuth(upn, secret string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.runAppUntil(d.now())
	return d.smtpAuthAt(upn, secret, d.now())
}

// smtpAuthAt decides a Basic-auth SMTP sign-in made at a given time and
// logs it: the wizard's test now, or a scheduled run of the scenario's app
// when it was due. Caller holds mu.
func (d *directory) smtpAuthAt(upn, secret string, at time.Time) string {
	switch d.sc.Tenant.SMTPAuth {
	case SMTPAuthRemoved:
		return smtpRemoved
	case SMTPAuthBasicOff:
		return smtpBasicOff
	}
	u := d.byUPN(upn)
	if reply, off := d.smtpSwitchOff(u); off {
		return reply
	}
	if u != nil && u.AuthenticationPolicy != "" {
		if p, ok := d.sc.authenticationPolicy(u.AuthenticationPolicy); ok && !p.AllowBasicAuthSmtp {
			return smtpBasicOff // the account's authentication policy blocks Basic for SMTP
		}
	}
	code, reply := d.smtpDecision(u, secret)
	if u != nil {
		d.logSignIn(u, at, "Authenticated SMTP", "Office 365 Exchange Online", code)
	}
	return reply
}

func (d *directory) smtpDecision(u *userState, secret string) (int, string) {
	code := d.legacyDecision(u, secret, "Authenticated SMTP")
	switch code {
	case 0:
		return code, smtpOK
	case 530035:
		return code, smtpSecurityDefault
	case 53003, 50076:
		return code, smtpCriteria
	}
	return code, smtpBadCredentials
}

// legacyDecision decides a Basic-auth sign-in of a legacy client (SMTP,
// IMAP, ActiveSync, ...) with secret, as Entra does: the first factor,
// security defaults, a Conditional Access policy covering the client (a
// legacy client satisfies no grant control), then per-user MFA refusing
// the regular password. It returns the AADSTS code, 0 for success. Caller
// holds mu.
func (d *directory) legacyDecision(u *userState, secret, clientApp string) int {
	if code := d.primaryAuthError(u, secret, true); code != 0 {
		return code
	}
	switch {
	case d.sc.Tenant.SecurityDefaults:
		return 530035
	case d.caRefusesLegacy(u, clientApp):
		return 53003
	case secret == u.Password && (u.PerUserMFAState == MFAEnforced || (u.PerUserMFAState == MFAEnabled && u.registered())):
		// Enforced per-user MFA: legacy clients need an app password.
		return 50076
	}
	return 0
}

// caRefusesLegacy reports an enabled policy that blocks, or demands a grant
// control of, this legacy client. Caller holds mu.
func (d *directory) caRefusesLegacy(u *userState, clientApp string) bool {
	v := d.evaluateCA(u, clientTypeOf(clientApp), resourceOf(clientApp))
	return v.block || v.mfa
}

// smtpOAuth decides an SMTP AUTH sign-in with XOAUTH2: a live token this
// simulator issued for Exchange Online with SMTP.Send, for the account
// named, whose SMTP AUTH switch is on. Basic auth being off or removed, and
// security defaults, do not matter to OAuth.
func (s *Server) smtpOAuth(upn, token string) string {
	sess, ok := s.tokens.bearer(token)
	if !ok || sess.audience != audienceExchange || !sess.hasScope("SMTP.Send") {
		return smtpBadCredentials // expired, another resource's, or without SMTP.Send
	}
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	u := s.dir.users[sess.userID]
	if u == nil || !strings.EqualFold(u.UserPrincipalName, upn) {
		return smtpBadCredentials // a token for another account
	}
	if reply, off := s.dir.smtpSwitchOff(u); off {
		return reply
	}
	return smtpOK
}

// smtpSwitchOff applies the SMTP AUTH switches: a mailbox's true or false
// decides; its $null inherits the tenant's (Set-CASMailbox's documented
// precedence). u may be nil (an unknown account: the tenant's switch).
// Caller holds mu.
func (d *directory) smtpSwitchOff(u *userState) (string, bool) {
	var mailbox *bool
	if u != nil {
		mailbox = u.mailboxSMTPSwitch()
	}
	switch {
	case mailbox != nil && *mailbox:
		return smtpMailboxDisabled, true
	case mailbox == nil && d.sc.Tenant.SMTPAuth == SMTPAuthDisabled:
		return smtpTenantDisabled, true
	}
	return "", false
}
