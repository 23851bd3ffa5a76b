package diagnose

// Route is one way forward when an app password cannot help: what kind of
// app it fits, the permission and consent it needs, and the exact
// Exchange-side changes, with Microsoft's page (M365-FACTS.md section 8).
type Route struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	FitsWhen   string   `json:"fitsWhen"`
	Permission string   `json:"permission"`
	Consent    string   `json:"consent"`
	Changes    []string `json:"changes,omitempty"`
	Doc        string   `json:"doc"`
}

// perMailboxSMTP is the narrow switch, Microsoft's preferred fix, first.
var perMailboxSMTP = []string{
	"Where SMTP AUTH is off (the switch applies to OAuth too), per mailbox first: Set-CASMailbox -Identity <upn> -SmtpClientAuthenticationDisabled $false, or Microsoft 365 admin center › Users › Active users › the user › Mail › Manage email apps › Authenticated SMTP.",
	"Organisation-wide only when many mailboxes need it: Set-TransportConfig -SmtpClientAuthenticationDisabled $false (Exchange admin center › Settings › Mail flow).",
}

// Routes lists the ways forward for a service, the best fit first.
func Routes(s Service) []Route {
	switch s {
	case ServiceSMTP:
		return []Route{
			{ID: "oauth-smtp", Name: "SMTP AUTH with OAuth (XOAUTH2)",
				FitsWhen:   "the app supports OAuth 2.0 (\"modern authentication\") for SMTP: it keeps smtp.office365.com:587 and only changes how it signs in",
				Permission: "delegated SMTP.Send (https://outlook.office.com/SMTP.Send), the app signed in as the mailbox; an unattended app uses application SMTP.SendAsApp with an Exchange service principal (New-ServicePrincipal, then Add-MailboxPermission for this mailbox)",
				Consent:    "the mailbox's owner consents when the app first signs in (or an admin for the organisation); SMTP.SendAsApp needs admin consent",
				Changes:    perMailboxSMTP,
				Doc:        "https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth"},
			{ID: "graph-sendmail", Name: "Microsoft Graph sendMail",
				FitsWhen:   "the app can call Microsoft Graph (scripts, custom apps, many cloud services): no SMTP at all",
				Permission: "Mail.Send: delegated as the mailbox, or application Mail.Send",
				Consent:    "admin consent for application Mail.Send; limit the app to this mailbox with RBAC for Applications in Exchange Online (Microsoft replaces application access policies with it and says not to create new ones)",
				Doc:        "https://learn.microsoft.com/graph/api/user-sendmail"},
			{ID: "relay", Name: "A connector relay, High Volume Email or Azure Communication Services Email",
				FitsWhen:   "the sender is a device or app that cannot do OAuth (scanners, printers, older line-of-business apps)",
				Permission: "none from Entra ID: a connector trusts the sender's IP address or certificate; High Volume Email and Azure Communication Services have their own credentials. High Volume Email sends only to recipients inside your organisation, not to the outside world",
				Consent:    "none",
				Changes: []string{
					"Relay: a connector in the Exchange admin center (Mail flow › Connectors) that trusts the device's IP address or certificate; Microsoft's page below walks the options.",
				},
				Doc: "https://learn.microsoft.com/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365"},
		}
	case ServiceSharePoint:
		return []Route{{ID: "sharepoint-app", Name: "An app registration with Sites.Selected",
			FitsWhen:   "the app lets you give it a client id and a certificate (most current backup and sync tools)",
			Permission: "application Sites.Selected (Microsoft Graph or SharePoint), then access granted per site",
			Consent:    "admin consent for Sites.Selected, then a SharePoint or Global Administrator grants each site",
			Doc:        "https://learn.microsoft.com/graph/api/site-post-permissions"}}
	case ServiceExchange:
		return []Route{{ID: "mailbox-oauth", Name: "OAuth for IMAP or POP, or Microsoft Graph for what EWS did",
			FitsWhen:   "the app reads or syncs the mailbox; EWS itself is blocked by default from 1 October 2026 and shut down on 1 April 2027, so move EWS apps to Graph",
			Permission: "delegated IMAP.AccessAsUser.All or POP.AccessAsUser.All; unattended: IMAP.AccessAsApp or POP.AccessAsApp with an Exchange service principal; Graph Mail.Read or Mail.ReadWrite",
			Consent:    "admin consent for the application permissions; limit Graph apps to this mailbox with RBAC for Applications in Exchange Online (it replaces application access policies)",
			Doc:        "https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth"}}
	}
	return nil
}
