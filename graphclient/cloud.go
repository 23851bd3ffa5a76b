package graphclient

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Cloud is one Microsoft cloud: where to sign in, where Graph lives, where
// SMTP AUTH listens, and the portal pages apppass sends people to.
type Cloud struct {
	// Name is the --cloud value: global, gcc-high, dod, china, or demo.
	Name string
	// Description is the cloud's name in Microsoft's words.
	Description string
	// AuthorityHost is the Entra sign-in root, such as https://login.microsoftonline.com.
	AuthorityHost string
	// GraphRoot is the Microsoft Graph service root, such as https://graph.microsoft.com.
	GraphRoot string
	// SMTPHost is Exchange Online's client-submission host:port.
	SMTPHost string
	// SMTPScope is the delegated scope of SMTP AUTH with OAuth (XOAUTH2):
	// Exchange Online's resource in this cloud, then /SMTP.Send.
	SMTPScope string
	// ExchangeRoot is Exchange Online's host root, whose admin endpoint
	// (/adminapi/beta/{tenantId}/InvokeCommand) reads the SMTP AUTH
	// switches ("" when unknown: the reads are not tried).
	ExchangeRoot string
	// ExchangeScope is the scope of a token for that endpoint: Exchange
	// Online's resource in this cloud, then /.default.
	ExchangeScope string
	// SecurityInfoURL is where an account owner creates an app password ("" when unknown).
	SecurityInfoURL string
	// MFASettingsURL is the legacy per-user MFA service settings page ("" when unknown).
	MFASettingsURL string
}

// Clouds are the Microsoft clouds apppass knows (M365-FACTS.md section 7).
// Portal URLs Microsoft does not document for a national cloud are left empty
// so that the wizard says "unknown" rather than send people to the wrong cloud.
var Clouds = map[string]Cloud{
	"global": {
		Name: "global", Description: "Microsoft global cloud (also GCC)",
		AuthorityHost: "https://login.microsoftonline.com", GraphRoot: "https://graph.microsoft.com",
		SMTPHost:        "smtp.office365.com:587",
		SMTPScope:       "https://outlook.office.com/SMTP.Send",
		ExchangeRoot:    "https://outlook.office365.com",
		ExchangeScope:   "https://outlook.office365.com/.default",
		SecurityInfoURL: "https://mysignins.microsoft.com/security-info",
		MFASettingsURL:  "https://account.activedirectory.windowsazure.com/usermanagement/mfasettings.aspx",
	},
	"gcc-high": {
		Name: "gcc-high", Description: "US Government L4 (GCC High)",
		AuthorityHost: "https://login.microsoftonline.us", GraphRoot: "https://graph.microsoft.us",
		SMTPHost: "smtp.office365.us:587", SMTPScope: "https://outlook.office365.us/SMTP.Send",
		ExchangeRoot: "https://outlook.office365.us", ExchangeScope: "https://outlook.office365.us/.default",
	},
	"dod": {
		Name: "dod", Description: "US Government L5 (DoD)",
		AuthorityHost: "https://login.microsoftonline.us", GraphRoot: "https://dod-graph.microsoft.us",
		// Exchange Online's DoD resource host is not confirmed (M365-FACTS.md section 8).
		SMTPHost: "smtp.office365.us:587", SMTPScope: "https://outlook-dod.office365.us/SMTP.Send",
	},
	"china": {
		Name: "china", Description: "Microsoft Azure operated by 21Vianet (China)",
		AuthorityHost: "https://login.chinacloudapi.cn", GraphRoot: "https://microsoftgraph.chinacloudapi.cn",
		// Unconfirmed, as the SMTP host is (M365-FACTS.md section 7).
		SMTPHost: "smtp.partner.outlook.cn:587", SMTPScope: "https://partner.outlook.cn/SMTP.Send",
	},
}

// CloudByName returns a known cloud or an error that lists the valid names.
func CloudByName(name string) (Cloud, error) {
	if c, ok := Clouds[strings.ToLower(name)]; ok {
		return c, nil
	}
	var names []string
	for n := range Clouds {
		names = append(names, n)
	}
	sort.Strings(names)
	return Cloud{}, fmt.Errorf("unknown cloud %q: use one of %s", name, strings.Join(names, ", "))
}

// graphHost is the host:port Graph tokens may be sent to.
func (c Cloud) graphHost() (string, error) {
	u, err := url.Parse(c.GraphRoot)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("graph root %q must be an https URL", c.GraphRoot)
	}
	return u.Host, nil
}

// authorityHostPort is the host:port MSAL keys cached accounts by.
func (c Cloud) authorityHostPort() (string, error) {
	u, err := url.Parse(c.AuthorityHost)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("authority %q must be an https URL", c.AuthorityHost)
	}
	return u.Host, nil
}

// isMicrosoftAuthority reports whether the authority is one of Microsoft's
// own sign-in hosts, which MSAL's instance discovery knows.
func (c Cloud) isMicrosoftAuthority() bool {
	for _, known := range Clouds {
		if strings.EqualFold(known.AuthorityHost, c.AuthorityHost) {
			return true
		}
	}
	return false
}
