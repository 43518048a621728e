package translations

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/frontend"
	"github.com/cpims-hosted/cpims/locations"
)

// Text limits, as the configuration checks them (docs/configuration.md).
const (
	labelMax = 1000  // names, labels, option labels
	longMax  = 10000 // descriptions, help texts, guiding questions
	uiMax    = 10000 // a UI message
)

// unit is one translatable text of the tenant: its context (msgctxt), its
// source (the default locale's text: the msgid), its text in the locale
// being exported or imported, and how to change it.
type unit struct {
	context   string
	source    string
	text      string
	note      string // for translators (#.)
	reference string // where it lives (#:)
	max       int
	// set changes the text (forms: a Text inside the bundle being edited).
	set func(s string)
}

// sourceText is the text a translation is made from: the default locale's,
// else English, else the first locale's (sorted).
func sourceText(t map[string]string, defaultLocale string) string {
	if s := t[defaultLocale]; s != "" {
		return s
	}
	if s := t["en"]; s != "" {
		return s
	}
	for _, k := range slices.Sorted(maps.Keys(t)) {
		if t[k] != "" {
			return t[k]
		}
	}
	return ""
}

// units collects the texts of a configuration bundle (forms, lookups,
// modules), in a stable order: forms, then lookups, then modules, each by
// unique_id, fields in form order. Texts with no source are left out.
type collector struct {
	locale, defaultLocale string
	out                   []*unit
}

func (c *collector) text(t *forms.Text, context, note, ref string, max int) {
	if t == nil || *t == nil {
		return
	}
	src := sourceText(*t, c.defaultLocale)
	if src == "" {
		return
	}
	locale := c.locale
	c.out = append(c.out, &unit{context: context, source: src, text: (*t)[locale], note: note, reference: ref, max: max,
		set: func(s string) { (*t)[locale] = s }})
}

func (c *collector) options(opts []forms.Option, prefix, note, ref string) {
	for i := range opts {
		o := &opts[i]
		c.text(&o.DisplayText, prefix+o.ID, note+" option "+o.ID, ref, labelMax)
	}
}

func configurationUnits(b *forms.Bundle, locale, defaultLocale string) []*unit {
	c := &collector{locale: locale, defaultLocale: defaultLocale}
	order := make([]int, len(b.Forms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return strings.Compare(b.Forms[x].UniqueID, b.Forms[y].UniqueID) })
	for _, i := range order {
		f := &b.Forms[i]
		ref := "/api/v2/forms/" + f.UniqueID
		p := "form:" + f.UniqueID + ":"
		what := fmt.Sprintf("Form %s", f.UniqueID)
		c.text(&f.Name, p+"name", what+": name", ref, labelMax)
		c.text(&f.Description, p+"description", what+": description", ref, longMax)
		c.text(&f.FormGroupName, p+"group_name", what+": name of its group "+f.FormGroupID, ref, labelMax)
		for j := range f.Fields {
			fd := &f.Fields[j]
			fp := p + "field:" + fd.Name + ":"
			fw := fmt.Sprintf("%s, field %s (%s)", what, fd.Name, fd.Type)
			c.text(&fd.DisplayName, fp+"label", fw+": label", ref, labelMax)
			c.text(&fd.HelpText, fp+"help", fw+": help text", ref, longMax)
			c.text(&fd.GuidingQuestions, fp+"guiding_questions", fw+": guiding questions", ref, longMax)
			c.text(&fd.TickBoxLabel, fp+"tick_box_label", fw+": tick box label", ref, labelMax)
			c.options(fd.OptionStringsText, fp+"option:", fw+":", ref)
			c.options(fd.Tally, fp+"tally:", fw+": counted", ref)
		}
	}
	lookups := make([]int, len(b.Lookups))
	for i := range lookups {
		lookups[i] = i
	}
	slices.SortStableFunc(lookups, func(x, y int) int { return strings.Compare(b.Lookups[x].UniqueID, b.Lookups[y].UniqueID) })
	for _, i := range lookups {
		l := &b.Lookups[i]
		ref := "/api/v2/lookups/" + l.UniqueID
		c.text(&l.Name, "lookup:"+l.UniqueID+":name", "Lookup "+l.UniqueID+": name", ref, labelMax)
		c.options(l.Values, "lookup:"+l.UniqueID+":value:", "Lookup "+l.UniqueID+":", ref)
	}
	modules := make([]int, len(b.Modules))
	for i := range modules {
		modules[i] = i
	}
	slices.SortStableFunc(modules, func(x, y int) int { return strings.Compare(b.Modules[x].UniqueID, b.Modules[y].UniqueID) })
	for _, i := range modules {
		m := &b.Modules[i]
		c.text(&m.Name, "module:"+m.UniqueID+":name", "Module "+m.UniqueID+": name",
			"/api/v2/modules/"+m.UniqueID, labelMax)
	}
	return c.out
}

// locationUnits are the names of locations (in hierarchy order); set
// records the new name in names (code to locale to name).
func locationUnits(specs []locations.Spec, locale, defaultLocale string, names map[string]map[string]string) []*unit {
	out := make([]*unit, 0, len(specs))
	for _, s := range specs {
		src := sourceText(s.Name, defaultLocale)
		if src == "" {
			continue
		}
		code := s.Code
		out = append(out, &unit{context: "location:" + code + ":name", source: src, text: s.Name[locale],
			note:      fmt.Sprintf("Location %s (%s, admin level %d): name", code, s.Type, s.AdminLevel),
			reference: "/api/v2/locations/" + code, max: locations.NameMax,
			set: func(v string) { names[code] = map[string]string{locale: v} }})
	}
	return out
}

// uiMessage is one message of the web app's catalogue.
type uiMessage struct {
	id      string // Lingui's id
	source  string // the English text (msgid)
	origins []string
	shipped map[string]string // locale -> translation shipped with the app
}

// uiCatalogue is the web app's catalogue as shipped, read once.
type uiCatalogue struct {
	once     sync.Once
	fsys     fs.FS
	messages []*uiMessage
	byID     map[string]*uiMessage
	err      error
}

func newUICatalogue(fsys fs.FS) *uiCatalogue {
	if fsys == nil {
		fsys = frontend.Catalogues()
	}
	return &uiCatalogue{fsys: fsys}
}

// MessageID is the id Lingui gives a UI message without an explicit id
// (its context in PO files is "ui:" and this id): the first 6 characters of
// the base64 SHA-256 of the message, a unit separator and its context.
func MessageID(message, context string) string {
	sum := sha256.Sum256([]byte(message + "\x1f" + context))
	return base64.StdEncoding.EncodeToString(sum[:])[:6]
}

func (c *uiCatalogue) load() ([]*uiMessage, error) {
	c.once.Do(func() {
		src, err := c.parse(frontend.SourceLocale)
		if err != nil {
			c.err = err
			return
		}
		c.byID = map[string]*uiMessage{}
		for _, e := range src.Entries {
			id := MessageID(e.ID, e.Context)
			m := &uiMessage{id: id, source: e.ID, origins: e.References, shipped: map[string]string{}}
			if e.Str != "" {
				m.shipped[frontend.SourceLocale] = e.Str
			}
			c.messages = append(c.messages, m)
			c.byID[id] = m
		}
		dirs, err := fs.ReadDir(c.fsys, ".")
		if err != nil {
			c.err = err
			return
		}
		for _, d := range dirs {
			if !d.IsDir() || d.Name() == frontend.SourceLocale {
				continue
			}
			f, err := c.parse(d.Name())
			if err != nil {
				c.err = err
				return
			}
			for _, e := range f.Entries {
				if m := c.byID[MessageID(e.ID, e.Context)]; m != nil && e.Str != "" && !e.Fuzzy() {
					m.shipped[d.Name()] = e.Str
				}
			}
		}
	})
	return c.messages, c.err
}

func (c *uiCatalogue) parse(locale string) (*File, error) {
	b, err := fs.ReadFile(c.fsys, locale+"/messages.po")
	if err != nil {
		return nil, err
	}
	f, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("the web app's %s catalogue: %w", locale, err)
	}
	return f, nil
}

// uiUnits are the UI messages in locale: the tenant's override, else the
// shipped translation; set records an override in overrides (id to text).
func uiUnits(msgs []*uiMessage, locale string, tenantOverrides, overrides map[string]string) []*unit {
	out := make([]*unit, 0, len(msgs))
	for _, m := range msgs {
		text, ok := tenantOverrides[m.id]
		if !ok {
			text = m.shipped[locale]
		}
		id := m.id
		out = append(out, &unit{context: "ui:" + id, source: m.source, text: text, note: "Web app text",
			reference: strings.Join(m.origins, " "), max: uiMax, set: func(s string) { overrides[id] = s }})
	}
	return out
}
