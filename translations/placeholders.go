package translations

import (
	"regexp"
	"slices"
	"strings"
)

// printfRE finds printf-style and Ruby/i18n-style placeholders: %s, %d,
// %1$s, %(name)s, %{count}. A space is not a flag, so "50 % de" is text.
var printfRE = regexp.MustCompile(`%(?:\{[A-Za-z_][A-Za-z0-9_]*\}|\([A-Za-z_][A-Za-z0-9_]*\)[sd]|[0-9]+\$[-+#0]*[0-9]*(?:\.[0-9]+)?[sdifuxXeEgGcqvtp]|[-+#0]*[0-9]*(?:\.[0-9]+)?[sdifuxXeEgGcqvtp])`)

// Placeholders returns the sorted, distinct placeholders of a message:
// ICU MessageFormat arguments ({name}, {count, plural, ...}: the argument
// names, not the words inside plural branches) and printf-style ones (%s,
// %1$d, %{count}, %(name)s). "%%" is a percent sign.
func Placeholders(s string) []string {
	var out []string
	text := strings.ReplaceAll(s, "%%", "")
	for _, m := range printfRE.FindAllString(text, -1) {
		out = append(out, m)
	}
	icuArgs(s, &out)
	slices.Sort(out)
	return slices.Compact(out)
}

// icuArgs adds the names of the ICU arguments of s ("{name}", "{n, plural,
// one {...} other {...}}"), reading the branches of plural and select
// arguments as messages in turn. ICU quoting ('{' is a literal brace) is
// honoured. Braces that open no argument are text.
func icuArgs(s string, out *[]string) {
	r := []rune(s)
	var msg func(i int, nested bool) int
	// arg reads an argument starting after '{'; it returns the index after its '}'.
	arg := func(i int) int {
		start := i
		for i < len(r) && isIdent(r[i]) {
			i++
		}
		name := string(r[start:i])
		j := skipSpace(r, i)
		if name == "" || j >= len(r) || (r[j] != '}' && r[j] != ',') {
			return -1 // not an argument: the brace is text
		}
		*out = append(*out, "{"+name+"}")
		if r[j] == '}' {
			return j + 1
		}
		// {name, type[, style]}
		j = skipSpace(r, j+1)
		ts := j
		for j < len(r) && isIdent(r[j]) {
			j++
		}
		typ := string(r[ts:j])
		j = skipSpace(r, j)
		if j < len(r) && r[j] == '}' {
			return j + 1
		}
		if j >= len(r) || r[j] != ',' {
			return -1
		}
		j++
		if typ != "plural" && typ != "select" && typ != "selectordinal" {
			// A style ({d, date, short}): up to the matching brace.
			for depth := 1; j < len(r); j++ {
				switch r[j] {
				case '{':
					depth++
				case '}':
					if depth--; depth == 0 {
						return j + 1
					}
				}
			}
			return -1
		}
		// Branches: key {message} ... up to the closing brace.
		for {
			j = skipSpace(r, j)
			if j >= len(r) {
				return -1
			}
			if r[j] == '}' {
				return j + 1
			}
			for j < len(r) && r[j] != '{' && r[j] != '}' && r[j] != ' ' {
				j++
			}
			j = skipSpace(r, j)
			if j >= len(r) || r[j] != '{' {
				return -1
			}
			j = msg(j+1, true)
			if j < 0 {
				return -1
			}
		}
	}
	// msg reads a message up to its closing brace (nested) or the end; it
	// returns the index after the closing brace.
	msg = func(i int, nested bool) int {
		for i < len(r) {
			switch r[i] {
			case '\'':
				// '' is a quote; '{...' quotes up to the next single quote.
				if i+1 < len(r) && r[i+1] == '\'' {
					i += 2
					continue
				}
				if i+1 < len(r) && (r[i+1] == '{' || r[i+1] == '}' || r[i+1] == '#') {
					k := slices.Index(r[i+1:], '\'')
					if k < 0 {
						return len(r)
					}
					i += k + 2
					continue
				}
				i++
			case '{':
				if i > 0 && r[i-1] == '%' {
					i++ // %{name}: a printf-style placeholder, counted above
					continue
				}
				if j := arg(i + 1); j >= 0 {
					i = j
				} else {
					i++
				}
			case '}':
				if nested {
					return i + 1
				}
				i++
			default:
				i++
			}
		}
		if nested {
			return -1
		}
		return i
	}
	msg(0, false)
}

func isIdent(r rune) bool {
	return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

func skipSpace(r []rune, i int) int {
	for i < len(r) && (r[i] == ' ' || r[i] == '\t' || r[i] == '\n') {
		i++
	}
	return i
}

// samePlaceholders reports whether a translation keeps the source's
// placeholders (the same set: a plural may repeat one).
func samePlaceholders(source, translation string) bool {
	return slices.Equal(Placeholders(source), Placeholders(translation))
}
