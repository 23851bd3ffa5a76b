package diagnose

import (
	"fmt"
	"strings"
	"time"
)

// Service is how the failing app reaches Microsoft 365.
type Service string

// The services apppass tells apart.
const (
	ServiceSMTP       Service = "smtp"       // Exchange Online SMTP AUTH client submission
	ServiceSharePoint Service = "sharepoint" // SharePoint Online legacy sign-in (IDCRL, CSOM with a password)
	ServiceExchange   Service = "exchange"   // mailbox access: EWS, IMAP, POP, ActiveSync with Basic auth
	ServiceOther      Service = "other"
)

// Services lists them in the order the wizard offers them.
var Services = []Service{ServiceSMTP, ServiceSharePoint, ServiceExchange, ServiceOther}

// ParseService reads a --service value.
func ParseService(s string) (Service, error) {
	for _, sv := range Services {
		if strings.EqualFold(s, string(sv)) {
			return sv, nil
		}
	}
	return "", fmt.Errorf("unknown service %q: use smtp, sharepoint, exchange or other", s)
}

// Label is the service in plain words.
func (s Service) Label() string {
	switch s {
	case ServiceSMTP:
		return "Exchange Online SMTP sending (SMTP AUTH)"
	case ServiceSharePoint:
		return "SharePoint Online with a password (legacy sign-in)"
	case ServiceExchange:
		return "Exchange mailbox access (EWS, IMAP, POP, ActiveSync)"
	}
	return "another service"
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Microsoft's retirement dates (M365-FACTS.md section 1).
var (
	ExchangeBasicOff       = day(2022, 10, 1)  // EWS, IMAP, POP, ActiveSync Basic auth permanently off
	SharePointLegacyBlock  = day(2026, 2, 16)  // IDCRL blocked by default
	SharePointLegacyRetire = day(2026, 5, 1)   // IDCRL permanently retired (MC1184649)
	SMTPAuthLastDefaultOn  = day(2026, 12, 31) // SMTP AUTH unchanged until the end of December 2026
	EWSBlockedByDefault    = day(2026, 10, 1)
	EWSShutdown            = day(2027, 4, 1)
)

// Calendar is what the retirement calendar says of a service on a date.
type Calendar struct {
	// Open: Basic auth with a password can still work for this service.
	Open bool
	// Until is the last day it works by default (zero: no announced end).
	Until time.Time
	// Note explains the date in plain words.
	Note string
	// Unsure: whether the path is open depends on a tenant switch apppass
	// could not read (SharePoint's legacy-auth switch while it is off by default).
	Unsure bool
}

// CalendarFor judges the service's Basic-auth path on the date.
func CalendarFor(s Service, now time.Time, sharePointLegacyEnabled Item[bool]) Calendar {
	today := day(now.UTC().Date())
	switch s {
	case ServiceSMTP:
		if !today.After(SMTPAuthLastDefaultOn) {
			return Calendar{Open: true, Until: SMTPAuthLastDefaultOn,
				Note: "SMTP AUTH is the last Basic-auth endpoint. It stays as it is until the end of December 2026; then it is off by default for existing tenants (an admin can turn it back on) until Microsoft's final removal, whose date is to be announced in the second half of 2027 (MC786329)."}
		}
		return Calendar{Open: true,
			Note: "Since the end of December 2026 SMTP AUTH is off by default; it works only where an Exchange admin has turned it back on, until Microsoft's final removal (date to be announced in the second half of 2027, MC786329)."}
	case ServiceSharePoint:
		switch {
		case !today.Before(SharePointLegacyRetire):
			return Calendar{Note: "SharePoint Online's legacy sign-in (IDCRL: SharePointOnlineCredentials, CSOM or WebClient with a user name and password) was permanently retired on 1 May 2026 (MC1184649). No password, app password included, can sign in that way any more."}
		case !today.Before(SharePointLegacyBlock) && !sharePointLegacyEnabled.Known():
			return Calendar{Until: SharePointLegacyRetire.AddDate(0, 0, -1), Unsure: true,
				Note: "SharePoint Online's legacy sign-in has been blocked by default since 16 February 2026 and is retired for good on 1 May 2026; whether this tenant turned it back on could not be read."}
		case !today.Before(SharePointLegacyBlock) && !sharePointLegacyEnabled.Value:
			return Calendar{Until: SharePointLegacyRetire.AddDate(0, 0, -1),
				Note: "SharePoint Online's legacy sign-in has been blocked by default since 16 February 2026 and is retired for good on 1 May 2026. A SharePoint admin could turn legacy authentication back on until then, but only to buy days."}
		}
		return Calendar{Open: true, Until: SharePointLegacyRetire.AddDate(0, 0, -1),
			Note: "SharePoint Online's legacy sign-in is blocked by default from 16 February 2026 and permanently retired on 1 May 2026 (MC1184649): plan the move to the app's modern (OAuth) connection now."}
	case ServiceExchange:
		if today.Before(ExchangeBasicOff) {
			return Calendar{Open: true, Until: ExchangeBasicOff.AddDate(0, 0, -1),
				Note: "Exchange Online switches Basic authentication for EWS, IMAP, POP and ActiveSync off for good on 1 October 2022."}
		}
		return Calendar{Note: "Exchange Online switched Basic authentication for EWS, IMAP, POP, ActiveSync, Autodiscover and RPC/MAPI off for good in October 2022. No password, app password included, can open a mailbox that way; EWS itself is blocked by default since 1 October 2026 and shuts down on 1 April 2027."}
	}
	return Calendar{Note: "Of Microsoft 365's Basic-auth endpoints only SMTP AUTH still accepts an app password."}
}
