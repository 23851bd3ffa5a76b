package simcloud

import (
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Microsoft 365 usage report apppass reads without Entra ID P1:
// GET /reports/getEmailAppUsageUserDetail(period='D7'|'D30'|'D90'|'D180')
// (Graph, reportRoot: getEmailAppUsageUserDetail). Reports.Read.All and a
// reports role; no P1. JSON with $format=application/json (beta), 200 rows
// a page; otherwise CSV, through a 302 to a download URL, as Graph does.

// usagePageSize is the JSON report's page size ("The default page size
// for this request is 200 items").
const usagePageSize = 200

// usageRefreshLag is how far the report's data trails the present: Microsoft
// 365 usage reports are refreshed once a day, a day or two behind
// (reportRefreshDate); the simulator uses two days.
const usageRefreshLag = 48 * time.Hour

// usageRow is one user of the report, in the JSON shape.
type usageRow struct {
	ReportRefreshDate string   `json:"reportRefreshDate"`
	UserPrincipalName string   `json:"userPrincipalName"`
	DisplayName       string   `json:"displayName"`
	IsDeleted         bool     `json:"isDeleted"`
	DeletedDate       *string  `json:"deletedDate"`
	LastActivityDate  *string  `json:"lastActivityDate"`
	MailForMac        []string `json:"mailForMac"`
	OutlookForMac     []string `json:"outlookForMac"`
	OutlookForWindows []string `json:"outlookForWindows"`
	OutlookForMobile  []string `json:"outlookForMobile"`
	OtherForMobile    []string `json:"otherForMobile"`
	OutlookForWeb     []string `json:"outlookForWeb"`
	POP3App           []string `json:"pop3App"`
	IMAP4App          []string `json:"imap4App"`
	SMTPApp           []string `json:"smtpApp"`
	ReportPeriod      string   `json:"reportPeriod"`
}

// usagePeriod reads getEmailAppUsageUserDetail(period='Dn').
func usagePeriod(segment string) (int, bool) {
	inner, ok := strings.CutPrefix(segment, "getEmailAppUsageUserDetail(period='")
	inner, ok2 := strings.CutSuffix(inner, "')")
	if !ok || !ok2 {
		return 0, false
	}
	switch inner {
	case "D7", "D30", "D90", "D180":
		n, _ := strconv.Atoi(inner[1:])
		return n, true
	}
	return 0, false
}

// getEmailAppUsage answers the report. Which protocols a user used in the
// period comes from their successful legacy sign-ins in the log (a sign-in
// Exchange refused never reached the mailbox: the simulator's reading; the
// report's own definition of "used" is Microsoft's and undocumented).
func (s *Server) getEmailAppUsage(req *graphRequest) graphResponse {
	days, ok := usagePeriod(req.params["id"])
	if !ok {
		return s.graphError(http.StatusBadRequest, "BadRequest", "Invalid value for the period parameter: use D7, D30, D90 or D180.")
	}
	rows := s.usageRows(days)
	if req.version != "beta" || req.query.Get("$format") != "application/json" {
		return graphResponse{status: http.StatusFound, header: http.Header{
			"Location": {req.base + "/reportsdownload/" + s.reports.keep(usageCSV(rows))}}}
	}
	start := 0
	if tok := req.query.Get("$skiptoken"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 0 || n > len(rows) {
			return s.graphError(http.StatusBadRequest, "BadRequest", "The specified page token value has expired or is invalid.")
		}
		start = n
	}
	end := min(start+usagePageSize, len(rows))
	body := map[string]any{"value": rows[start:end]}
	if end < len(rows) {
		q := req.query
		q.Set("$skiptoken", base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end))))
		body["@odata.nextLink"] = req.base + "/" + req.version + "/reports/" + req.params["id"] + "?" + q.Encode()
	}
	return graphResponse{status: http.StatusOK, body: body}
}

// usageRows is the report for the days before its refresh date, a row per
// account in UPN order.
func (s *Server) usageRows(days int) []usageRow {
	refresh := s.Now().Add(-usageRefreshLag).Truncate(24 * time.Hour)
	from := refresh.AddDate(0, 0, -days+1)
	s.dir.mu.Lock()
	defer s.dir.mu.Unlock()
	type seen struct {
		last              time.Time
		smtp, pop3, imap4 bool
	}
	byUser := map[string]*seen{}
	for i := range s.dir.signIns {
		e := &s.dir.signIns[i]
		if e.ErrorCode != 0 || e.Created.Before(from) || !e.Created.Before(refresh.Add(24*time.Hour)) {
			continue
		}
		u := byUser[e.UserID]
		if u == nil {
			u = &seen{}
			byUser[e.UserID] = u
		}
		u.last = e.Created
		switch e.ClientAppUsed {
		case "Authenticated SMTP":
			u.smtp = true
		case "POP3":
			u.pop3 = true
		case "IMAP4":
			u.imap4 = true
		}
	}
	used := func(b bool) []string {
		if b {
			return []string{"Undetermined"}
		}
		return []string{}
	}
	out := make([]usageRow, 0, len(s.dir.users))
	for _, u := range s.dir.users {
		row := usageRow{ReportRefreshDate: refresh.Format(time.DateOnly), UserPrincipalName: u.UserPrincipalName, DisplayName: u.DisplayName,
			MailForMac: []string{}, OutlookForMac: []string{}, OutlookForWindows: []string{}, OutlookForMobile: []string{},
			OtherForMobile: []string{}, OutlookForWeb: []string{}, POP3App: []string{}, IMAP4App: []string{}, SMTPApp: []string{},
			ReportPeriod: strconv.Itoa(days)}
		if a := byUser[u.ID]; a != nil {
			last := a.last.Format(time.DateOnly)
			row.LastActivityDate, row.POP3App, row.IMAP4App, row.SMTPApp = &last, used(a.pop3), used(a.imap4), used(a.smtp)
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b usageRow) int {
		return strings.Compare(strings.ToLower(a.UserPrincipalName), strings.ToLower(b.UserPrincipalName))
	})
	return out
}

// usageCSV is the report as Graph's CSV download.
func usageCSV(rows []usageRow) []byte {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date", "Last Activity Date",
		"Mail For Mac", "Outlook For Mac", "Outlook For Windows", "Outlook For Mobile", "Other For Mobile", "Outlook For Web",
		"POP3 App", "IMAP4 App", "SMTP App", "Report Period"})
	join := func(v []string) string { return strings.Join(v, ";") }
	for _, r := range rows {
		last := ""
		if r.LastActivityDate != nil {
			last = *r.LastActivityDate
		}
		w.Write([]string{r.ReportRefreshDate, r.UserPrincipalName, r.DisplayName, fmt.Sprint(r.IsDeleted), "", last,
			join(r.MailForMac), join(r.OutlookForMac), join(r.OutlookForWindows), join(r.OutlookForMobile), join(r.OtherForMobile),
			join(r.OutlookForWeb), join(r.POP3App), join(r.IMAP4App), join(r.SMTPApp), r.ReportPeriod})
	}
	w.Flush()
	return []byte(b.String())
}

// downloads are the report files behind preauthenticated download URLs:
// no Authorization header needed, as Graph's.
type downloads struct {
	mu    sync.Mutex
	files map[string][]byte
}

// keep stores a file and returns its token.
func (d *downloads) keep(data []byte) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.files == nil {
		d.files = map[string][]byte{}
	}
	token := newOpaqueToken("report")
	d.files[token] = data
	return token
}

func (d *downloads) serve(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	data, ok := d.files[r.PathValue("token")]
	d.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(data)
}
