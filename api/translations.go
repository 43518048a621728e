package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/translations"
)

// poContentType is the media type of gettext PO files.
const poContentType = "text/x-gettext-translation"

const localePattern = `^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`

type exportTranslationsInput struct {
	Locale  string `path:"locale" maxLength:"43" pattern:"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*(\\.po)?$" doc:"A language of this instance, optionally with .po: fr or fr.po." example:"fr.po"`
	Missing bool   `query:"missing" doc:"Only the entries without a translation in this language (for a translator)."`
}

type exportTranslationsOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

type importTranslationsInput struct {
	Locale      string `query:"locale" maxLength:"40" doc:"The file's language, one of this instance's but not its default; without it, the file's Language header says it." example:"fr"`
	RawBody     []byte `contentType:"text/x-gettext-translation"`
	contentType string
}

// Resolve keeps the request's Content-Type (a PO body or a form).
func (in *importTranslationsInput) Resolve(ctx huma.Context) []error {
	in.contentType = ctx.Header("Content-Type")
	return nil
}

var _ huma.Resolver = (*importTranslationsInput)(nil)

type translationImportOutput struct {
	Location string `header:"Location"`
	Body     struct {
		Data translations.POImport `json:"data"`
	}
}

type getTranslationImportInput struct {
	ID      string `path:"id" format:"uuid"`
	Outcome string `query:"outcome" enum:"applied,unchanged,skipped,unknown,stale,invalid," doc:"Only the report entries with this outcome."`
	Page    int    `query:"page" minimum:"1" default:"1"`
	Per     int    `query:"per" minimum:"1" maximum:"1000" default:"100"`
}

// translationImportReport is an import with a page of its per-entry report.
type translationImportReport struct {
	translations.POImport
	Report []translations.ReportEntry `json:"report" doc:"One entry per PO entry, in file order (this page), written when the import has run."`
}

type translationImportReportOutput struct {
	Body struct {
		Data     translationImportReport `json:"data"`
		Metadata ListMetadata            `json:"metadata" doc:"Paging of the report."`
	}
}

type uiTranslationsInput struct {
	Locale  string `path:"locale" maxLength:"40" pattern:"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$" example:"ar"`
	Changed bool   `query:"changed" doc:"Only the messages whose text differs from the app's own catalogue in this language (the instance's imported wording): what the web app overrides at start."`
}

// poContentTypes are the media types a PO file is sent as.
var poContentTypes = []string{poContentType, "text/x-po", "application/x-po", "application/x-gettext", "text/plain", "application/octet-stream"}

func registerTranslations(api huma.API, s *Server) {
	tags := []string{"Translations"}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "export-translations", Method: http.MethodGet, Path: "/api/v2/translations/{locale}", Tags: tags,
		Security: memberSecurity, Summary: "Export a language's texts as a gettext PO file",
		Description: "Every configuration label (forms, fields, help texts, options, lookups, modules, locations) and every " +
			"text of the web app, one entry each: `msgctxt` addresses the text (`form:basic_identity:field:sex:label`, " +
			"`lookup:lookup-sex:value:female`, `location:KE01:name`, `ui:<Lingui id>`), `msgid` is its text in the default " +
			"language, `msgstr` its text in this language (empty when it has none). `missing=true` keeps only the entries " +
			"without a translation. Edit it in any PO tool (Weblate, Transifex, Crowdin, Poedit) and import it back.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, translations.PermRead), func(ctx context.Context, in *exportTranslationsInput) (*exportTranslationsOutput, error) {
		t, _ := tenantFrom(ctx)
		locale := strings.TrimSuffix(in.Locale, ".po")
		b, err := s.translations.Export(ctx, t.Code, translations.ExportParams{Locale: locale, Missing: in.Missing})
		if err != nil {
			return nil, problem(err)
		}
		name := t.Code + "-" + locale
		if in.Missing {
			name += "-missing"
		}
		return &exportTranslationsOutput{ContentType: poContentType + "; charset=utf-8",
			ContentDisposition: `attachment; filename="` + name + `.po"`, Body: b}, nil
	})
	if op := api.OpenAPI().Paths["/api/v2/translations/{locale}"].Get; op != nil {
		op.Responses["200"].Content = map[string]*huma.MediaType{poContentType: {Schema: &huma.Schema{Type: "string",
			Description: "A gettext PO file (UTF-8)."}}}
	}

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "import-translations", Method: http.MethodPost, Path: "/api/v2/translations/imports", Tags: tags,
		Security: memberSecurity, Summary: "Import a PO file of one language",
		Description: "Send the file as the body (`" + poContentType + "`) or as the part `file` of a `multipart/form-data` " +
			"form (with an optional part `locale`). A file that is not PO, or whose language is not one of this instance's " +
			"(or is its default language, the source of every msgid), is refused now (422). Otherwise the import runs in " +
			"the background (202, linking to its progress and per-entry report): entries whose msgid is still the source " +
			"text and whose placeholders (`{name}`, `%{count}`, `%s`) match the source's are applied, all in one change; " +
			"the others are reported (stale, invalid, unknown, skipped) and not applied.",
		DefaultStatus:   http.StatusAccepted,
		MaxBodyBytes:    translations.MaxFileBytes + 1<<20, // multipart overhead
		BodyReadTimeout: 2 * time.Minute,
		Errors:          []int{http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity},
	}, translations.PermWrite), func(ctx context.Context, in *importTranslationsInput) (*translationImportOutput, error) {
		t, _ := tenantFrom(ctx)
		up, err := uploadedFile(in.contentType, in.RawBody, poContentTypes, poContentType)
		if err != nil {
			return nil, err
		}
		locale := up.fields["locale"]
		if in.Locale != "" {
			locale = in.Locale
		}
		im, err := s.translations.StartImport(ctx, t.Code, locale, up.filename, up.content)
		if err != nil {
			return nil, problem(err)
		}
		out := &translationImportOutput{Location: "/api/v2/translations/imports/" + im.ID}
		out.Body.Data = im
		return out, nil
	})
	if op := api.OpenAPI().Paths["/api/v2/translations/imports"].Post; op != nil && op.RequestBody != nil {
		op.RequestBody.Content["multipart/form-data"] = &huma.MediaType{Schema: &huma.Schema{Type: "object", Required: []string{"file"},
			Properties: map[string]*huma.Schema{"file": {Type: "string", Format: "binary", Description: "The PO file."},
				"locale": {Type: "string", Pattern: localePattern, Description: "The file's language (else its Language header)."}}}}
	}

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-translation-import", Method: http.MethodGet, Path: "/api/v2/translations/imports/{id}", Tags: tags,
		Security: memberSecurity, Summary: "A translations import's progress and per-entry report",
		Description: "Counts by outcome and, once the import has run, one report entry per PO entry: its line, its " +
			"msgctxt, its outcome (applied, unchanged, skipped, unknown, stale, invalid) and why.",
		Errors: []int{http.StatusNotFound},
	}, translations.PermWrite), func(ctx context.Context, in *getTranslationImportInput) (*translationImportReportOutput, error) {
		t, _ := tenantFrom(ctx)
		im, entries, total, err := s.translations.GetImport(ctx, t.Code, in.ID,
			translations.ReportFilter{Outcome: in.Outcome, Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := &translationImportReportOutput{}
		out.Body.Data = translationImportReport{POImport: im, Report: append([]translations.ReportEntry{}, entries...)}
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-ui-translations", Method: http.MethodGet, Path: "/api/v2/translations/ui/{locale}", Tags: tags,
		Summary: "The web app's texts in one language, as this instance words them",
		Description: "Public, as the sign-in page needs them. Lingui message id to text: the instance's own wording " +
			"(imported), else the app's translation, else the default language's, else English. A language that is not " +
			"one of this instance's is a 404.",
		Errors: []int{http.StatusNotFound},
	}, policy.Public), func(ctx context.Context, in *uiTranslationsInput) (*dataOutput[translations.UIMessages], error) {
		t, ok := tenantFrom(ctx)
		if !ok {
			return nil, huma.Error404NotFound(notFoundDetail)
		}
		ui := s.translations.UI
		if in.Changed {
			ui = s.translations.UIChanges
		}
		m, err := ui(ctx, t.Code, in.Locale)
		if err != nil {
			return nil, problem(err)
		}
		return dataOf(m), nil
	})
}
