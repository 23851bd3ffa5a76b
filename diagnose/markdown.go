package diagnose

import "strings"

// markdownEscaper backslash-escapes what would make text from outside
// (a policy name, a display name, a Graph error) into Markdown of its own:
// emphasis, code, links and images, HTML and entities, headings, tables,
// strikethrough, and the bare URLs GitHub turns into links. Line breaks
// become spaces, so no outside string starts a line of its own.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`,
	`#`, `\#`, `|`, `\|`, `!`, `\!`, `~`, `\~`, `&`, `\&`, `://`, `\://`, `www.`, `www\.`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// MarkdownText is s as literal Markdown text: it renders as the same
// characters and never as a heading, link, emphasis or table cell break.
// Every renderer of Markdown passes each interpolated value through it.
func MarkdownText(s string) string { return markdownEscaper.Replace(s) }

// codeSpan is s inside a Markdown code span: backticks and line breaks,
// which would end it, are dropped.
func codeSpan(s string) string {
	return strings.NewReplacer("`", "", "\n", " ", "\r", " ").Replace(s)
}

// linkTarget is a link's address with what would end it (spaces,
// parentheses, angle brackets, line breaks) percent-encoded.
func linkTarget(s string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(s)
}
