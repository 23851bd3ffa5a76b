package graphclient

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// signInPage is the sign-in log's largest (and default) page.
const signInPage = "1000"

// ReportsInterval is the steady pace of Graph's identity and access
// reports limit (sign-in log and method reads): "5 requests per 10
// seconds" per app per tenant, one every 2 s once the burst of 5 is spent.
const ReportsInterval = 2 * time.Second

// SignInsOfApp reads the sign-in log from from to to (both included, to
// the second) for one client app, interactive and non-interactive rows
// alike, with one query over the whole span: clientAppUsed eq,
// createdDateTime ge and le (the operators Graph documents for them), in
// pages of Graph's maximum of 1,000 rows. page is called with each page's
// rows as it arrives, so the caller decides what to keep. An error ends
// the read; the rows already handed over were read.
func (c *Client) SignInsOfApp(ctx context.Context, clientApp string, from, to time.Time, page func([]SignIn)) error {
	filter := fmt.Sprintf("clientAppUsed eq '%s' and createdDateTime ge %s and createdDateTime le %s and %s",
		strings.ReplaceAll(clientApp, "'", "''"), from.UTC().Truncate(time.Second).Format(time.RFC3339),
		to.UTC().Truncate(time.Second).Format(time.RFC3339), bothSignInKinds)
	if err := eachPage(ctx, c, signInCall(filter, signInPage), page); err != nil {
		return fmt.Errorf("reading the sign-in log (%s): %w", clientApp, err)
	}
	return nil
}
