package translations

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/language"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Permissions (declared in policy.Catalog).
var (
	PermRead  = policy.Permission{Resource: "translations", Action: "read"}
	PermWrite = policy.Permission{Resource: "translations", Action: "write"}
)

// MaxFileBytes bounds an uploaded PO file.
const MaxFileBytes = 10 << 20

// Config configures a Service.
type Config struct {
	// UI is the web app's catalogues as shipped, <locale>/messages.po.
	// Defaults to frontend.Catalogues().
	UI fs.FS
}

// Service exports and imports the translations of every tenant.
type Service struct {
	p     *tenancy.Platform
	forms *forms.Service
	ui    *uiCatalogue
}

// New returns the service working through p, changing configuration labels
// through f.
func New(p *tenancy.Platform, f *forms.Service, cfg Config) *Service {
	return &Service{p: p, forms: f, ui: newUICatalogue(cfg.UI)}
}

// ExportParams selects what Export writes.
type ExportParams struct {
	// Locale is the language of the msgstr texts: one of the tenant's.
	Locale string
	// Missing keeps only the entries without a translation in Locale.
	Missing bool
}

// tenantLanguages are the tenant's languages.
type tenantLanguages struct {
	defaultLocale string
	locales       []string
}

func readSettings(ctx context.Context, c *tenancy.Conn) (tenantLanguages, error) {
	var s tenantLanguages
	err := c.QueryRow(ctx, "select default_locale, locales from system_settings").Scan(&s.defaultLocale, &s.locales)
	return s, err
}

var localeRE = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// tenantLocale returns the tenant's spelling of locale, or an error saying
// why it is not one of the tenant's (in, field: where it was sent).
func (s tenantLanguages) tenantLocale(locale, in, field string) (string, error) {
	if !localeRE.MatchString(locale) {
		return "", &tenancy.InvalidError{In: in, Field: field, Value: locale, Reason: "is not a language tag (BCP 47, e.g. fr or pt-BR)"}
	}
	if _, err := language.Parse(locale); err != nil {
		return "", &tenancy.InvalidError{In: in, Field: field, Value: locale, Reason: "is not a valid language tag (BCP 47): " + err.Error()}
	}
	for _, l := range s.locales {
		if strings.EqualFold(l, locale) {
			return l, nil
		}
	}
	return "", &tenancy.InvalidError{In: in, Field: field, Value: locale,
		Reason: "is not one of this instance's languages (" + strings.Join(s.locales, ", ") + ")"}
}

// catalogue is every text of a tenant in one locale, read in one transaction.
type catalogue struct {
	tenantLanguages
	locale  string
	version int64
	units   []*unit
	byCtx   map[string]*unit
	// Changes made by set, for locations and the UI.
	names     map[string]map[string]string
	overrides map[string]string
}

// collect reads every text of the tenant in locale. Configuration texts are
// read from b when given (the bundle being relabelled), else from the
// current configuration.
func (s *Service) collect(ctx context.Context, c *tenancy.Conn, st tenantLanguages, locale string, b *forms.Bundle) (*catalogue, error) {
	cat := &catalogue{tenantLanguages: st, locale: locale, names: map[string]map[string]string{}, overrides: map[string]string{}}
	if b == nil {
		var err error
		if b, cat.version, err = s.forms.BundleTx(ctx, c); err != nil {
			return nil, err
		}
	}
	cat.units = configurationUnits(b, locale, st.defaultLocale)
	specs, err := locations.Export(ctx, c)
	if err != nil {
		return nil, err
	}
	cat.units = append(cat.units, locationUnits(specs, locale, st.defaultLocale, cat.names)...)
	msgs, err := s.ui.load()
	if err != nil {
		return nil, err
	}
	tenantUI, err := uiOverrides(ctx, c, locale)
	if err != nil {
		return nil, err
	}
	cat.units = append(cat.units, uiUnits(msgs, locale, tenantUI, cat.overrides)...)
	cat.byCtx = make(map[string]*unit, len(cat.units))
	for _, u := range cat.units {
		cat.byCtx[u.context] = u
	}
	return cat, nil
}

func uiOverrides(ctx context.Context, c *tenancy.Conn, locale string) (map[string]string, error) {
	rows, err := c.Query(ctx, "select message_id, message from ui_translations where locale = $1", locale)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	var id, msg string
	_, err = pgx.ForEachRow(rows, []any{&id, &msg}, func() error {
		out[id] = msg
		return nil
	})
	return out, err
}

// pluralForms are the Plural-Forms headers of common languages (gettext's
// own table); the texts exported use none, but tools expect the header.
var pluralForms = map[string]string{
	"en": "nplurals=2; plural=(n != 1);", "es": "nplurals=2; plural=(n != 1);", "pt": "nplurals=2; plural=(n != 1);",
	"sw": "nplurals=2; plural=(n != 1);", "so": "nplurals=2; plural=(n != 1);", "fr": "nplurals=2; plural=(n > 1);",
	"ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
	"fa": "nplurals=2; plural=(n > 1);", "ur": "nplurals=2; plural=(n != 1);", "ps": "nplurals=2; plural=(n != 1);",
	"am": "nplurals=2; plural=(n > 1);", "ti": "nplurals=2; plural=(n > 1);", "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}

// Export writes the tenant's texts in p.Locale as a PO file
// (translations:read, and reading forms, lookups and locations): one entry
// per text, msgctxt addressing it, msgid its default-locale text, msgstr
// its text in the locale (empty when it has none).
func (s *Service) Export(ctx context.Context, tenant string, p ExportParams) ([]byte, error) {
	if err := s.p.Authorize(ctx, tenant, PermRead); err != nil {
		return nil, err
	}
	var out []byte
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		st, err := readSettings(ctx, c)
		if err != nil {
			return err
		}
		locale, err := st.tenantLocale(p.Locale, "path", "locale")
		if err != nil {
			return err
		}
		cat, err := s.collect(ctx, c, st, locale, nil)
		if err != nil {
			return err
		}
		f := &File{Header: []HeaderField{
			{"Project-Id-Version", "CPIMS+ " + tenant},
			{"Language", locale},
			{"MIME-Version", "1.0"},
			{"Content-Type", "text/plain; charset=UTF-8"},
			{"Content-Transfer-Encoding", "8bit"},
		}}
		if pf := pluralForms[strings.ToLower(strings.Split(locale, "-")[0])]; pf != "" {
			f.Header = append(f.Header, HeaderField{"Plural-Forms", pf})
		}
		f.Header = append(f.Header, HeaderField{"X-Source-Language", st.defaultLocale},
			HeaderField{"X-Configuration-Version", strconv.FormatInt(cat.version, 10)})
		for _, u := range cat.units {
			if p.Missing && u.text != "" {
				continue
			}
			e := Entry{Context: u.context, HasContext: true, ID: u.source, Str: u.text, Extracted: []string{u.note}}
			if u.reference != "" {
				e.References = []string{u.reference}
			}
			f.Entries = append(f.Entries, e)
		}
		out = Write(f)
		return nil
	})
	return out, err
}

// Import statuses.
const (
	StatusQueued    = "queued"
	StatusRunning   = "running"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
)

// Outcomes of an entry.
const (
	OutcomeApplied   = "applied"   // the text changed
	OutcomeUnchanged = "unchanged" // the text was already this
	OutcomeSkipped   = "skipped"   // no translation (empty msgstr) or marked fuzzy: nothing to apply
	OutcomeUnknown   = "unknown"   // the context addresses no text of this tenant
	OutcomeStale     = "stale"     // the msgid is no longer the source text: translated from an older text
	OutcomeInvalid   = "invalid"   // placeholders differ from the source's, too long, plural forms...
)

// Outcomes lists the outcomes in report order.
var Outcomes = []string{OutcomeApplied, OutcomeUnchanged, OutcomeSkipped, OutcomeUnknown, OutcomeStale, OutcomeInvalid}

// POImport is an uploaded PO file and what became of it.
type POImport struct {
	ID       string `json:"id" format:"uuid"`
	Status   string `json:"status" enum:"queued,running,succeeded,failed"`
	Locale   string `json:"locale" example:"fr"`
	Filename string `json:"filename"`
	// Progress: EntriesDone of EntriesTotal.
	EntriesTotal int `json:"entries_total" doc:"Entries in the file (the header left out)."`
	EntriesDone  int `json:"entries_done" doc:"Entries settled so far: entries_done of entries_total is the progress."`
	Applied      int `json:"applied" doc:"Entries whose text changed."`
	Unchanged    int `json:"unchanged" doc:"Entries whose text was already the file's."`
	Skipped      int `json:"skipped" doc:"Entries with no translation (empty msgstr) or marked fuzzy."`
	Unknown      int `json:"unknown" doc:"Entries whose msgctxt addresses no text of this instance."`
	Stale        int `json:"stale" doc:"Entries translated from a source text that has changed since (msgid differs): not applied."`
	Invalid      int `json:"invalid" doc:"Entries refused: placeholders differ from the source's, too long, plural forms."`
	// ConfigurationVersion is the configuration version after the import.
	ConfigurationVersion *int64     `json:"configuration_version,omitempty"`
	Failure              string     `json:"failure,omitempty" doc:"Why the import failed as a whole (nothing was applied)."`
	CreatedBy            string     `json:"created_by"`
	CreatedAt            time.Time  `json:"created_at"`
	StartedAt            *time.Time `json:"started_at,omitempty"`
	FinishedAt           *time.Time `json:"finished_at,omitempty"`
}

// ReportEntry is what became of one entry of an imported file.
type ReportEntry struct {
	// Line is the entry's line in the file (its msgctxt or msgid).
	Line    int    `json:"line"`
	Context string `json:"context"`
	Outcome string `json:"outcome" enum:"applied,unchanged,skipped,unknown,stale,invalid"`
	Reason  string `json:"reason,omitempty" doc:"Why the entry was not applied, in English."`
	// ReasonCode is the reason's stable code (docs/translations.md, "Reason
	// codes"); ReasonParams the values its wording needs.
	ReasonCode   string            `json:"reason_code,omitempty" doc:"The reason's stable code, to word it in the reader's language (docs/translations.md): no_context, unknown_context, plural_forms, fuzzy, untranslated, source_changed, nul_character, too_long, placeholders."`
	ReasonParams map[string]string `json:"reason_params,omitempty" doc:"The values the reason's wording needs (source, max, expected, found)."`
}

const importColumns = `id, status, locale, filename, entries_total, entries_done, applied, unchanged, skipped, unknown, stale,
	invalid, configuration_version, failure, created_by, created_at, started_at, finished_at`

func scanImport(r pgx.Row) (POImport, error) {
	var im POImport
	err := r.Scan(&im.ID, &im.Status, &im.Locale, &im.Filename, &im.EntriesTotal, &im.EntriesDone, &im.Applied, &im.Unchanged,
		&im.Skipped, &im.Unknown, &im.Stale, &im.Invalid, &im.ConfigurationVersion, &im.Failure, &im.CreatedBy, &im.CreatedAt,
		&im.StartedAt, &im.FinishedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return im, tenancy.ErrNotFound
	}
	return im, err
}

const auditImportType = "translation_import"

// StartImport checks an uploaded PO file and queues its import: a file
// that is not PO, with no entries, or whose locale is not one of the
// tenant's (or is its default locale, the source of every msgid) is refused
// now (*tenancy.InvalidError on "file" or "locale"); otherwise the file, its
// import row and the River job are stored in one transaction. locale may
// be empty: the file's Language header says it then; given both, they must
// agree.
func (s *Service) StartImport(ctx context.Context, tenant, locale, filename string, content []byte) (POImport, error) {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return POImport{}, err
	}
	sub, err := policy.SubjectFrom(ctx)
	if err != nil {
		return POImport{}, err
	}
	if utf8.RuneCountInString(filename) > 255 {
		filename = string([]rune(filename)[:255])
	}
	if !utf8.ValidString(filename) || strings.ContainsRune(filename, 0) {
		filename = ""
	}
	f, err := Parse(content)
	if err != nil {
		return POImport{}, &tenancy.InvalidError{Field: "file", Reason: "is not a gettext PO file: " + err.Error()}
	}
	if len(f.Entries) == 0 {
		return POImport{}, &tenancy.InvalidError{Field: "file", Reason: "has no entries"}
	}
	header := f.HeaderValue("Language")
	switch {
	case locale == "" && header == "":
		return POImport{}, &tenancy.InvalidError{In: "query", Field: "locale",
			Reason: "is required: the file has no Language header"}
	case locale == "":
		locale = header
	case header != "" && !strings.EqualFold(strings.ReplaceAll(header, "_", "-"), locale):
		return POImport{}, &tenancy.InvalidError{In: "query", Field: "locale", Value: locale,
			Reason: fmt.Sprintf("differs from the file's Language header (%s)", header)}
	}
	locale = strings.ReplaceAll(locale, "_", "-") // gettext writes pt_BR
	var out POImport
	err = s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		st, err := readSettings(ctx, c)
		if err != nil {
			return err
		}
		if locale, err = st.tenantLocale(locale, "query", "locale"); err != nil {
			return err
		}
		if strings.EqualFold(locale, st.defaultLocale) {
			return &tenancy.InvalidError{In: "query", Field: "locale", Value: locale,
				Reason: "is the default language, the source of every msgid: change its texts in the configuration itself"}
		}
		if out, err = scanImport(c.QueryRow(ctx, `insert into translation_imports (locale, filename, content, entries_total, created_by)
			values ($1, $2, $3, $4, $5) returning `+importColumns, locale, filename, content, len(f.Entries), sub.String())); err != nil {
			return err
		}
		c.AuditRecord(ctx, auditImportType, out.ID)
		return c.Enqueue(ctx, ImportArgs{Tenant: tenant, ImportID: out.ID}, nil)
	})
	return out, err
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Report paging.
const (
	PerDefault = 100
	PerMax     = 1000
)

// ReportFilter selects a page of an import's report.
type ReportFilter struct {
	// Outcome, if set, keeps entries with this outcome.
	Outcome string
	// Page (from 1) and Per (default PerDefault, at most PerMax), in file order.
	Page, Per int
}

// GetImport returns an import, a page of its report (written when the
// import has run) and the number of report entries matching f
// (translations:write).
func (s *Service) GetImport(ctx context.Context, tenant, id string, f ReportFilter) (POImport, []ReportEntry, int, error) {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return POImport{}, nil, 0, err
	}
	if !uuidRE.MatchString(id) {
		return POImport{}, nil, 0, tenancy.ErrNotFound
	}
	if f.Per <= 0 {
		f.Per = PerDefault
	}
	f.Page, f.Per = max(f.Page, 1), min(f.Per, PerMax)
	var im POImport
	var entries []ReportEntry
	var total int
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		if im, err = scanImport(c.QueryRow(ctx, "select "+importColumns+" from translation_imports where id = $1", id)); err != nil {
			return err
		}
		c.AuditRecord(ctx, auditImportType, im.ID)
		cond := "import_id = $1 and ($2 = '' or outcome = $2)"
		if err := c.QueryRow(ctx, "select count(*) from translation_import_entries where "+cond, id, f.Outcome).Scan(&total); err != nil {
			return err
		}
		rows, err := c.Query(ctx, "select line, context, outcome, reason, reason_code, reason_params from translation_import_entries where "+cond+
			" order by position limit $3 offset $4", id, f.Outcome, f.Per, (f.Page-1)*f.Per)
		if err != nil {
			return err
		}
		entries, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReportEntry, error) {
			var e ReportEntry
			return e, r.Scan(&e.Line, &e.Context, &e.Outcome, &e.Reason, &e.ReasonCode, &e.ReasonParams)
		})
		return err
	})
	return im, entries, total, err
}

// UIMessages are the web app's texts in one locale for one tenant.
type UIMessages struct {
	Locale    string `json:"locale" example:"ar"`
	Direction string `json:"direction" enum:"ltr,rtl"`
	// Messages maps each Lingui message id to its text.
	Messages map[string]string `json:"messages" doc:"Lingui message id to text: the tenant's own wording, else the app's translation, else the default language's, else English."`
}

// UI returns the web app's messages in locale as this tenant words them:
// for each message, the tenant's override in locale, else the shipped
// translation, else the same in the tenant's default locale, else the
// English source. Public (the sign-in page needs them); a locale that is
// not the tenant's is tenancy.ErrNotFound.
func (s *Service) UI(ctx context.Context, tenant, locale string) (UIMessages, error) {
	return s.uiMessages(ctx, tenant, locale, false)
}

// UIChanges is UI with only the messages whose text differs from the
// translation shipped with the app in locale: what the web app, which has
// its own catalogues, must override (the tenant's imported wording, and any
// message the app has no translation of in locale).
func (s *Service) UIChanges(ctx context.Context, tenant, locale string) (UIMessages, error) {
	return s.uiMessages(ctx, tenant, locale, true)
}

func (s *Service) uiMessages(ctx context.Context, tenant, locale string, changesOnly bool) (UIMessages, error) {
	msgs, err := s.ui.load()
	if err != nil {
		return UIMessages{}, err
	}
	var out UIMessages
	err = s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		st, err := readSettings(ctx, c)
		if err != nil {
			return err
		}
		if locale, err = st.tenantLocale(locale, "path", "locale"); err != nil {
			return tenancy.ErrNotFound
		}
		own, err := uiOverrides(ctx, c, locale)
		if err != nil {
			return err
		}
		def := map[string]string{}
		if st.defaultLocale != locale {
			if def, err = uiOverrides(ctx, c, st.defaultLocale); err != nil {
				return err
			}
		}
		out = UIMessages{Locale: locale, Direction: settings.Direction(locale), Messages: make(map[string]string, len(msgs))}
		for _, m := range msgs {
			text := firstNonEmpty(own[m.id], m.shipped[locale], def[m.id], m.shipped[st.defaultLocale], m.source)
			if !changesOnly || text != m.shipped[locale] {
				out.Messages[m.id] = text
			}
		}
		return nil
	})
	return out, err
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// verdict is what importing an entry would do: its outcome and, when it
// is not applied, why (English) with the reason's code and parameters.
type verdict struct {
	outcome, reason, code string
	params                map[string]string
}

// judge says what importing e into u would do.
func judge(e Entry, u *unit) verdict {
	switch {
	case !e.HasContext:
		return verdict{OutcomeUnknown, "no msgctxt: every entry is addressed by its context (export a file to see them)", "no_context", nil}
	case u == nil:
		return verdict{OutcomeUnknown, "no text of this instance has this context", "unknown_context", nil}
	case e.IDPlural != "":
		return verdict{OutcomeInvalid, "plural forms (msgid_plural): these texts have none; write plurals inside the message (ICU)",
			"plural_forms", nil}
	case e.Fuzzy():
		return verdict{OutcomeSkipped, "marked fuzzy", "fuzzy", nil}
	case e.Str == "":
		return verdict{OutcomeSkipped, "no translation", "untranslated", nil}
	case e.ID != u.source:
		source := cutText(u.source, 200)
		return verdict{OutcomeStale, fmt.Sprintf("the source text has changed since: now %q", source), "source_changed",
			map[string]string{"source": source}}
	case strings.ContainsRune(e.Str, 0):
		return verdict{OutcomeInvalid, "contains a NUL character", "nul_character", nil}
	case utf8.RuneCountInString(e.Str) > u.max:
		return verdict{OutcomeInvalid, fmt.Sprintf("longer than %d characters", u.max), "too_long",
			map[string]string{"max": strconv.Itoa(u.max)}}
	case !samePlaceholders(u.source, e.Str):
		expected, found := list(Placeholders(u.source)), list(Placeholders(e.Str))
		return verdict{OutcomeInvalid, fmt.Sprintf("placeholders differ from the source's: %s expected, %s found", expected, found),
			"placeholders", map[string]string{"expected": expected, "found": found}}
	case e.Str == u.text:
		return verdict{outcome: OutcomeUnchanged}
	}
	return verdict{outcome: OutcomeApplied}
}

func list(ps []string) string {
	if len(ps) == 0 {
		return "none"
	}
	return strings.Join(ps, " ")
}

// counts are an import's outcomes.
type counts map[string]int

func (c counts) add(outcome string) { c[outcome]++ }
