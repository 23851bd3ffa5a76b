package scan

import (
	"context"
	"fmt"
	"strings"

	"github.com/apppass/apppass/graphclient"
)

// UsageGraph reads Microsoft 365's email apps usage report, which needs
// no Entra ID P1; *graphclient.Client has it.
type UsageGraph interface {
	EmailAppUsage(ctx context.Context, period string, each func([]graphclient.EmailAppUser)) error
}

// readUsage lists, from the email apps usage report, the accounts that
// used SMTP, POP3 or IMAP4 in the period closest to --days (D7 or D30).
// The report says neither whether they signed in with a password or
// OAuth nor whether it worked: the accounts' sign-in evidence stays
// unread (the log's licence error), and only what the directory shows is
// judged.
func readUsage(ctx context.Context, u UsageGraph, res *Result, days int) (map[string]*account, error) {
	period := "D30"
	if days <= 7 {
		period = "D7"
	}
	byUPN := map[string]*account{}
	err := u.EmailAppUsage(ctx, period, func(page []graphclient.EmailAppUser) {
		for _, user := range page {
			if user.IsDeleted || len(user.LegacyProtocols()) == 0 {
				continue
			}
			user := user
			byUPN[strings.ToLower(user.UserPrincipalName)] = &account{upn: user.UserPrincipalName, usage: &user}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("the sign-in log needs Entra ID P1, and the email apps usage report (Reports.Read.All; Reports Reader or Global Reader) could not be read either: %w", err)
	}
	res.Source, res.UsagePeriod = SourceUsageReport, period
	return byUPN, nil
}
