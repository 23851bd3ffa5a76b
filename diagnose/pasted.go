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
	reAADSTS = regexp.MustCompile(`AADSTS([1-9]\d{3,6})\b`)
	re401    = regexp.MustCompile(`(?i)\(401\)\s*unauthori[sz]ed|\b401\s+unauthori[sz]ed|status code:?\s*401\b`)
	// reSMTPReply is a reply as most apps print it: "535 5.7.139 ...",
	// "535-5.7.139 ..." (a continued line) or MailKit's "535: 5.7.139 ...".
	reSMTPReply = regexp.MustCompile(`\b([245]\d\d)(?:[ -]|:\s*)([245]\.\d{1,3}\.\d{1,3})\b([^\r\n]*)`)
	// rePythonReply is smtplib's exception tuple: (535, b'5.7.139 ...').
	rePythonReply = regexp.MustCompile(`\(\s*([245]\d\d)\s*,\s*b?(?:'([245]\.\d{1,3}\.\d{1,3})\s+([^']*)'|"([245]\.\d{1,3}\.\d{1,3})\s+([^"]*)")`)
	// reServerResponse is .NET's SmtpException (and PowerShell's
	// Send-MailMessage, which wraps it): "The server response was: 5.7.3 ...",
	// the enhanced code without the reply code.
	reServerResponse = regexp.MustCompile(`(?i)server response was:\s*([245]\.\d{1,3}\.\d{1,3})\s+([^\r\n]*)`)
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
	if r := pastedReply(text); r != nil {
		// Only the codes and their meaning are kept: the rest of a pasted
		// line may hold a secret, and SECURITY.md promises the pasted text
		// is never reported.
		r.Text = ""
		p.SMTP = r
	}
	p.ServiceHint = serviceHint(text, p)
	return p
}

// pastedReply finds the SMTP reply inside the wrapper an app printed it
// in: a plain reply line first, then Python's tuple, then .NET's wording.
func pastedReply(text string) *SMTPReply {
	var code, enhanced, rest string
	if m := reSMTPReply.FindStringSubmatch(text); m != nil {
		code, enhanced, rest = m[1], m[2], m[3]
	} else if m := rePythonReply.FindStringSubmatch(text); m != nil {
		code, enhanced, rest = m[1], m[2]+m[4], m[3]+m[5]
		rest = strings.NewReplacer(`\r`, " ", `\n`, " ").Replace(rest) // bytes print their line breaks escaped
	} else if m := reServerResponse.FindStringSubmatch(text); m != nil {
		enhanced, rest = m[1], m[2]
		code = replyCodeOf(enhanced)
	} else {
		return nil
	}
	r, ok := ParseSMTPReply(code + " " + enhanced + " " + strings.TrimSpace(rest))
	if !ok {
		return nil
	}
	return &r
}

// replyCodeOf is the reply code Exchange Online sends with an enhanced
// status code, for wrappers that print only the latter (.NET).
func replyCodeOf(enhanced string) string {
	switch {
	case enhanced == "5.7.30":
		return "550"
	case enhanced == "5.7.57":
		return "530"
	case strings.HasPrefix(enhanced, "2."):
		return "235"
	case strings.HasPrefix(enhanced, "4."):
		return "454"
	}
	return "535"
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
