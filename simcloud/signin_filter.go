package simcloud

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// signInFilter is what a $filter on the sign-in log may ask, as a
// conjunction of clauses in any order, each at most once, with only the
// operators Microsoft lists for each property (signIn resource; the
// sign-in list page):
//
//	userPrincipalName eq 'a@b.c'
//	clientAppUsed eq 'Authenticated SMTP'
//	status/errorCode eq 50126                  (eq only)
//	createdDateTime eq|ge|le <RFC 3339 time>   (not lt or gt)
//	signInEventTypes/any(t: t eq 'nonInteractiveUser' or t eq 'interactiveUser')   (beta)
//
// Anything else is answered 400 in Graph's error shape. Strings are compared
// without regard to case, as Graph does for these fields; a quote inside a
// string is written twice. Without a signInEventTypes clause only
// interactive rows are returned: "returns only interactive sign-ins unless
// you set an explicit filter".
type signInFilter struct {
	upn, clientApp eqClause
	errorCode      struct {
		value int
		set   bool
	}
	since, until timeBound
	// kinds is the signInEventTypes asked for; unset means interactive only.
	interactive, nonInteractive, kindsSet bool
}

// eqClause is one "field eq 'value'"; set tells "any" from the empty string.
type eqClause struct {
	value string
	set   bool
}

func (c eqClause) matches(v string) bool { return !c.set || strings.EqualFold(c.value, v) }

// timeBound is one end of a createdDateTime range, inclusive.
type timeBound struct {
	at  time.Time
	set bool
}

// filterRefusal is why Graph refuses a $filter, in its error code and message.
type filterRefusal struct{ code, message string }

func unsupported(filter string) *filterRefusal {
	return &filterRefusal{"Request_UnsupportedQuery", "Invalid filter clause: " + filter}
}

func unsupportedOperator(op, field string) *filterRefusal {
	return &filterRefusal{"Request_UnsupportedQuery", fmt.Sprintf("Unsupported Query. The operator '%s' is not supported for the property '%s'.", op, field)}
}

// parseSignInFilter reads a $filter ("" asks for every interactive row);
// beta tells whether signInEventTypes exists.
func parseSignInFilter(filter string, beta bool) (signInFilter, *filterRefusal) {
	var f signInFilter
	words, ok := filterWords(filter)
	if !ok {
		return f, unsupported(filter)
	}
	for len(words) > 0 {
		var refused *filterRefusal
		if !words[0].quoted && strings.EqualFold(words[0].text, "signInEventTypes/any") {
			if !beta {
				return f, &filterRefusal{"BadRequest", "Could not find a property named 'signInEventTypes' on type 'microsoft.graph.signIn'."}
			}
			words, refused = f.addEventTypes(filter, words[1:])
		} else {
			if len(words) < 3 || words[0].quoted || words[1].quoted {
				return f, unsupported(filter)
			}
			refused = f.add(filter, words[0].text, words[1].text, words[2])
			words = words[3:]
		}
		if refused != nil {
			return f, refused
		}
		if len(words) > 0 {
			if words[0].quoted || words[0].text != "and" || len(words) == 1 {
				return f, unsupported(filter)
			}
			words = words[1:]
		}
	}
	return f, nil
}

// addEventTypes reads "(t: t eq 'x' or t eq 'y')" after signInEventTypes/any
// and returns the words after it.
func (f *signInFilter) addEventTypes(filter string, words []filterWord) ([]filterWord, *filterRefusal) {
	if f.kindsSet || len(words) < 2 || words[0].text != "(" || words[0].quoted {
		return nil, unsupported(filter)
	}
	name, rest, ok := strings.Cut(words[1].text, ":")
	if !ok || name == "" || words[1].quoted {
		return nil, unsupported(filter)
	}
	words = words[2:]
	if rest != "" {
		words = append([]filterWord{{text: rest}}, words...)
	}
	f.kindsSet = true
	for {
		if len(words) < 4 || words[0].quoted || words[0].text != name || !words[2].quoted {
			return nil, unsupported(filter)
		}
		if words[1].text != "eq" {
			return nil, unsupportedOperator(words[1].text, "signInEventTypes")
		}
		switch strings.ToLower(words[2].text) {
		case "interactiveuser":
			f.interactive = true
		case "noninteractiveuser":
			f.nonInteractive = true
		case "serviceprincipal", "managedidentity":
			// no such rows here
		default:
			return nil, &filterRefusal{"BadRequest", "The value '" + words[2].text + "' is not a valid signInEventType."}
		}
		switch {
		case words[3].text == ")" && !words[3].quoted:
			return words[4:], nil
		case words[3].text == "or" && !words[3].quoted:
			words = words[4:]
		default:
			return nil, unsupported(filter)
		}
	}
}

// add records one "field op value" clause of filter.
func (f *signInFilter) add(filter, field, op string, value filterWord) *filterRefusal {
	switch field {
	case "userPrincipalName", "clientAppUsed":
		target := &f.upn
		if field == "clientAppUsed" {
			target = &f.clientApp
		}
		if op != "eq" {
			return unsupportedOperator(op, field)
		}
		if !value.quoted || target.set {
			return unsupported(filter)
		}
		*target = eqClause{value: value.text, set: true}
		return nil
	case "status/errorCode":
		if op != "eq" {
			return unsupportedOperator(op, "errorCode")
		}
		n, err := strconv.Atoi(value.text)
		if value.quoted || err != nil || f.errorCode.set {
			return unsupported(filter)
		}
		f.errorCode.value, f.errorCode.set = n, true
		return nil
	case "createdDateTime":
		var bounds []*timeBound
		switch op {
		case "ge":
			bounds = []*timeBound{&f.since}
		case "le":
			bounds = []*timeBound{&f.until}
		case "eq":
			bounds = []*timeBound{&f.since, &f.until}
		default:
			return unsupportedOperator(op, field)
		}
		at, err := time.Parse(time.RFC3339, value.text)
		if value.quoted {
			return unsupported(filter)
		}
		if err != nil {
			return &filterRefusal{"Request_BadRequest", "Invalid createdDateTime value: " + value.text}
		}
		for _, b := range bounds {
			if b.set {
				return unsupported(filter)
			}
			*b = timeBound{at: at, set: true}
		}
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
		case s[i] == '(' || s[i] == ')':
			words = append(words, filterWord{text: s[i : i+1]})
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
			end := strings.IndexAny(s[i:], " '()")
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
	kind := !e.NonInteractive // no signInEventTypes clause: interactive rows only
	if f.kindsSet {
		kind = e.NonInteractive && f.nonInteractive || !e.NonInteractive && f.interactive
	}
	return kind && f.upn.matches(e.UPN) && f.clientApp.matches(e.ClientAppUsed) &&
		(!f.errorCode.set || f.errorCode.value == e.ErrorCode)
}

// window returns the rows [lo, hi) of the time-ordered log within the time
// bounds, found by binary search rather than by reading every row.
func (f signInFilter) window(log []signInEntry) (lo, hi int) {
	lo, hi = 0, len(log)
	if b := f.since; b.set {
		lo = sort.Search(len(log), func(i int) bool {
			return log[i].Created.Compare(b.at) >= 0
		})
	}
	if b := f.until; b.set {
		hi = sort.Search(len(log), func(i int) bool {
			return log[i].Created.Compare(b.at) > 0
		})
	}
	return lo, max(lo, hi)
}
