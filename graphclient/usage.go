package graphclient

import (
	"context"
	"fmt"
	"net/url"
)

// ScanScopes are AdminScopes and Reports.Read.All, which `apppass scan`
// needs for the email apps usage report when the sign-in log needs an
// Entra ID P1 licence the tenant lacks.
var ScanScopes = append(append([]string(nil), AdminScopes...), "Reports.Read.All")

// EmailAppUser is one user of Microsoft 365's email apps usage report:
// which email apps the user used in the report's period. The report does
// not say whether the user signed in with a password or OAuth.
type EmailAppUser struct {
	RefreshDate       string   `json:"reportRefreshDate"`
	UserPrincipalName string   `json:"userPrincipalName"`
	DisplayName       string   `json:"displayName"`
	IsDeleted         bool     `json:"isDeleted"`
	LastActivityDate  string   `json:"lastActivityDate"`
	POP3              []string `json:"pop3App"`
	IMAP4             []string `json:"imap4App"`
	SMTP              []string `json:"smtpApp"`
	Period            string   `json:"reportPeriod"`
}

// LegacyProtocols are the report's legacy protocols the user used, named
// as the sign-in log names them.
func (u EmailAppUser) LegacyProtocols() []string {
	var out []string
	if len(u.SMTP) > 0 {
		out = append(out, "Authenticated SMTP")
	}
	if len(u.IMAP4) > 0 {
		out = append(out, "IMAP4")
	}
	if len(u.POP3) > 0 {
		out = append(out, "POP3")
	}
	return out
}

// EmailAppUsage reads GET /beta/reports/getEmailAppUsageUserDetail(period='D7'|'D30'|'D90'|'D180')
// as JSON (Reports.Read.All and a reports role, no Entra ID P1), a page of
// 200 users at a time, handing each page to each.
func (c *Client) EmailAppUsage(ctx context.Context, period string, each func([]EmailAppUser)) error {
	switch period {
	case "D7", "D30", "D90", "D180":
	default:
		return fmt.Errorf("the usage report's period is D7, D30, D90 or D180, not %q", period)
	}
	cl := call{version: "beta", path: "/reports/getEmailAppUsageUserDetail(period='" + period + "')",
		query: url.Values{"$format": {"application/json"}}}
	if err := eachPage(ctx, c, cl, each); err != nil {
		return fmt.Errorf("reading the email apps usage report: %w", err)
	}
	return nil
}
