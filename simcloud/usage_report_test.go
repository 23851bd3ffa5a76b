package simcloud

import (
	"net/http"
	"strings"
	"testing"
)

// The email apps usage report needs no Entra ID P1: JSON on beta with
// $format=application/json in pages of 200, a 302 to a CSV download
// otherwise, Microsoft's columns, and the protocols each user used.
func TestEmailAppUsageReport(t *testing.T) {
	c := startClient(t, "fleet")
	c.srv.scenario.Tenant.EntraP1 = false
	path := "/beta/reports/getEmailAppUsageUserDetail(period='D30')?$format=application/json"
	rows, pages := 0, 0
	smtp := 0
	for next := c.ep.GraphRoot + path; next != ""; pages++ {
		r := c.graph("GET", strings.TrimPrefix(next, c.ep.GraphRoot), nil)
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		value := r.json["value"].([]any)
		if len(value) > usagePageSize {
			t.Fatalf("a page of %d", len(value))
		}
		for _, v := range value {
			row := v.(map[string]any)
			for _, key := range []string{"reportRefreshDate", "userPrincipalName", "displayName", "isDeleted", "deletedDate", "lastActivityDate",
				"mailForMac", "outlookForMac", "outlookForWindows", "outlookForMobile", "otherForMobile", "outlookForWeb", "pop3App", "imap4App", "smtpApp", "reportPeriod"} {
				if _, ok := row[key]; !ok {
					t.Fatalf("row without %s: %v", key, row)
				}
			}
			if len(row["smtpApp"].([]any)) > 0 {
				smtp++
			}
		}
		rows += len(value)
		next, _ = r.json["@odata.nextLink"].(string)
	}
	if rows < 1000 || pages < 5 || smtp == 0 {
		t.Fatalf("%d rows in %d pages, %d used SMTP", rows, pages, smtp)
	}
	r := c.graph("GET", "/v1.0/reports/getEmailAppUsageUserDetail(period='D7')", nil)
	if r.status != http.StatusFound || r.header.Get("Location") == "" {
		t.Fatalf("v1.0: %d %v", r.status, r.header)
	}
	csv := c.do(mustGet(t, r.header.Get("Location")))
	if csv.status != 200 || !strings.HasPrefix(csv.raw, "Report Refresh Date,User Principal Name,Display Name,Is Deleted") {
		t.Fatalf("download: %d %.200s", csv.status, csv.raw)
	}
	if r := c.graph("GET", "/beta/reports/getEmailAppUsageUserDetail(period='D8')?$format=application/json", nil); r.status != 400 {
		t.Fatalf("period D8: %d", r.status)
	}
}

func mustGet(t *testing.T, url string) *http.Request {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
