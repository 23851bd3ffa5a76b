package simcloud

import (
	"sort"
	"strings"
	"time"
)

// signInFilter is what a $filter on the sign-in log may ask, as a
// conjunction of clauses in any order, each at most once:
//
//	userPrincipalName eq 'a@b.c'
//	clientAppUsed eq 'Authenticated SMTP'
//	createdDateTime ge|gt <RFC 3339 time>   (one lower bound)
//	createdDateTime le|lt <RFC 3339 time>   (one upper bound)
//
// Strings are compared without regard to case, as Graph does for these
// fields; a quote inside a string is written twice.
type signInFilter struct {
	upn, clientApp eqClause
	since, until   timeBound
}

// eqClause is one "field eq 'value'"; set tells "any" from the empty string.
type eqClause struct {
	value string
	set   bool
}

func (c eqClause) matches(v string) bool { return !c.set || strings.EqualFold(c.value, v) }

// timeBound is one end of a createdDateTime range; strict is gt or lt.
type timeBound struct {
	at          time.Time
	strict, set bool
}

// filterRefusal is why Graph refuses a $filter, in its error code and message.
type filterRefusal struct{ code, message string }

func unsupported(filter string) *filterRefusal {
	return &filterRefusal{"Request_UnsupportedQuery", "Invalid filter clause: " + filter}
}

// parseSignInFilter reads a $filter ("" asks for every row).
func parseSignInFilter(filter string) (signInFilter, *filterRefusal) {
	var f signInFilter
	words, ok := filterWords(filter)
	if !ok {
		return f, unsupported(filter)
	}
	for len(words) > 0 {
		if len(words) < 3 || words[0].quoted || words[1].quoted {
			return f, unsupported(filter)
		}
		if refused := f.add(filter, words[0].text, words[1].text, words[2]); refused != nil {
			return f, refused
		}
		words = words[3:]
		if len(words) > 0 {
			if words[0].quoted || words[0].text != "and" || len(words) == 1 {
				return f, unsupported(filter)
			}
			words = words[1:]
		}
	}
	return f, nil
}

// add records one clause of filter.
func (f *signInFilter) add(filter, field, op string, value filterWord) *filterRefusal {
	switch field {
	case "userPrincipalName", "clientAppUsed":
		target := &f.upn
		if field == "clientAppUsed" {
			target = &f.clientApp
		}
		if op != "eq" || !value.quoted || target.set {
			return unsupported(filter)
		}
		*target = eqClause{value: value.text, set: true}
		return nil
	case "createdDateTime":
		var bound *timeBound
		switch op {
		case "ge", "gt":
			bound = &f.since
		case "le", "lt":
			bound = &f.until
		}
		if bound == nil || value.quoted || bound.set {
			return unsupported(filter)
		}
		at, err := time.Parse(time.RFC3339, value.text)
		if err != nil {
			return &filterRefusal{"Request_BadRequest", "Invalid createdDateTime value: " + value.text}
		}
		*bound = timeBound{at: at, strict: op == "gt" || op == "lt", set: true}
		return nil
	}
	return unsupported(filter)
}

// filterWord is a bare word of a $filter or the text of a quoted string.
type filterWord struct {
	text   string
	quoted bool
}

// filterWords splits a $filter at spaces, keeping quoted strings whole;
// ok is false for an unterminated string.
func filterWords(s string) (words []filterWord, ok bool) {
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ':
			i++
		case s[i] == '\'':
			var b strings.Builder
			for i++; ; i++ {
				if i == len(s) {
					return nil, false
				}
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						i++
					} else {
						break
					}
				}
				b.WriteByte(s[i])
			}
			i++ // the closing quote
			words = append(words, filterWord{text: b.String(), quoted: true})
		default:
			end := strings.IndexAny(s[i:], " '")
			if end < 0 {
				end = len(s) - i
			}
			words = append(words, filterWord{text: s[i : i+end]})
			i += end
		}
	}
	return words, true
}

// matches tells whether a row passes the string clauses; the time bounds
// are applied by window.
func (f signInFilter) matches(e *signInEntry) bool {
	return f.upn.matches(e.UPN) && f.clientApp.matches(e.ClientAppUsed)
}

// window returns the rows [lo, hi) of the time-ordered log within the time
// bounds, found by binary search rather than by reading every row.
func (f signInFilter) window(log []signInEntry) (lo, hi int) {
	lo, hi = 0, len(log)
	if b := f.since; b.set {
		lo = sort.Search(len(log), func(i int) bool {
			c := log[i].Created.Compare(b.at)
			return c > 0 || c == 0 && !b.strict
		})
	}
	if b := f.until; b.set {
		hi = sort.Search(len(log), func(i int) bool {
			c := log[i].Created.Compare(b.at)
			return c > 0 || c == 0 && b.strict
		})
	}
	return lo, max(lo, hi)
}
