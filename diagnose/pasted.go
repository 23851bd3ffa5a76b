package diagnose

import (
	"regexp"
	"strconv"
	"strings"
)

// PastedError is what apppass reads out of an error message a person pasted.
type PastedError struct {
	// HTTP401 is the classic "(401) Unauthorized" wording.
	HTTP401 bool
	// AADSTS are the Entra codes mentioned, in order, without repeats.
	AADSTS []int
	// SMTP is the SMTP reply found, if any.
	SMTP *SMTPReply
	// ServiceHint is the service the wording points to ("" when it does not).
	ServiceHint Service
}

// maxPasted bounds the text apppass reads: an error message, not a log file.
const maxPasted = 64 << 10

var (
	reAADSTS    = regexp.MustCompile(`AADSTS([1-9]\d{3,6})\b`)
	re401       = regexp.MustCompile(`(?i)\(401\)\s*unauthori[sz]ed|\b401\s+unauthori[sz]ed|status code:?\s*401\b`)
	reSMTPReply = regexp.MustCompile(`\b([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})\b[^\r\n]*`)
)

// ParsePastedError reads the parts of an error text that decide the diagnosis.
func ParsePastedError(text string) PastedError {
	if len(text) > maxPasted {
		text = text[:maxPasted]
	}
	var p PastedError
	p.HTTP401 = re401.MatchString(text)
	seen := map[int]bool{}
	for _, m := range reAADSTS.FindAllStringSubmatch(text, -1) {
		if code, err := strconv.Atoi(m[1]); err == nil && !seen[code] {
			seen[code] = true
			p.AADSTS = append(p.AADSTS, code)
		}
	}
	if m := reSMTPReply.FindString(text); m != "" {
		if r, ok := ParseSMTPReply(m); ok {
			// Only the codes and their meaning are kept: the rest of a
			// pasted line may hold a secret, and SECURITY.md promises the
			// pasted text is never reported.
			r.Text = ""
			p.SMTP = &r
		}
	}
	p.ServiceHint = serviceHint(text, p)
	return p
}

func serviceHint(text string, p PastedError) Service {
	lower := strings.ToLower(text)
	switch {
	case p.SMTP != nil || strings.Contains(lower, "smtp"):
		return ServiceSMTP
	case containsAny(lower, "sharepointonlinecredentials", "sharepoint", "idcrl", "_vti_bin", "/sites/", "clientcontext"):
		return ServiceSharePoint
	case containsAny(lower, "imap", "pop3", "exchange web services", "ews", "activesync", "autodiscover", "outlook.office365.com"):
		return ServiceExchange
	}
	return ""
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
