package api

import (
	"context"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/l10n"
	"github.com/cpims-hosted/cpims/locations"
)

// optional is a query parameter that may be absent (Huma does not take
// pointers as parameters).
type optional[T any] struct {
	Value T
	Set   bool
}

// Schema is the schema of T.
func (o optional[T]) Schema(r huma.Registry) *huma.Schema {
	return huma.SchemaFromType(r, reflect.TypeFor[T]())
}

// Receiver implements huma.ParamWrapper.
func (o *optional[T]) Receiver() reflect.Value { return reflect.ValueOf(o).Elem().Field(0) }

// OnParamSet implements huma.ParamReactor.
func (o *optional[T]) OnParamSet(isSet bool, _ any) { o.Set = isSet }

func (o optional[T]) ptr() *T {
	if !o.Set {
		return nil
	}
	return &o.Value
}

// adminLevelParam is an optional admin level.
type adminLevelParam struct{ optional[int] }

// Schema is an integer from 0 to MaxAdminLevel.
func (adminLevelParam) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: "integer", Minimum: new(0.0), Maximum: new(float64(locations.MaxAdminLevel))}
}

type listLocationsInput struct {
	AdminLevel adminLevelParam `query:"admin_level" doc:"Only this admin level, 0 (the country) to 5."`
	Parent     string          `query:"parent" maxLength:"64" doc:"Only the direct children of this location code."`
	Subtree    string          `query:"subtree" maxLength:"64" doc:"Only this location and everything below it."`
	Query      string          `query:"query" maxLength:"200" doc:"Only locations whose name, in any language, contains this (case-insensitive), or whose code starts with it."`
	Disabled   optional[bool]  `query:"disabled" doc:"true: only disabled locations; false: only enabled ones (what a picker offers)."`
	Page       int             `query:"page" minimum:"1" default:"1"`
	Per        int             `query:"per" minimum:"1" maximum:"1000" default:"100"`
}

type locationCodePath struct {
	Code string `path:"code" pattern:"^[A-Za-z0-9_]{1,64}$" doc:"The location's code."`
}

type createLocationInput struct {
	Body struct {
		Code       string            `json:"code" example:"DL0102" doc:"Unique and stable: records refer to it. 1 to 64 letters, digits or underscores (P-codes fit)."`
		ParentCode string            `json:"parent_code,omitempty" example:"DL01" doc:"Absent for a root (the country)."`
		AdminLevel int               `json:"admin_level" doc:"0 (country) to 5; greater than the parent's (levels may be skipped)."`
		Type       string            `json:"type,omitempty" example:"district"`
		Name       map[string]string `json:"name" doc:"The name by language." example:"{\"en\":\"Amara\",\"ar\":\"أمارا\"}"`
		Disabled   bool              `json:"disabled,omitempty"`
	}
}

type updateLocationInput struct {
	Code string `path:"code" pattern:"^[A-Za-z0-9_]{1,64}$"`
	Body struct {
		Name       map[string]string `json:"name,omitempty" doc:"Replaces the whole name (every language)."`
		AdminLevel *int              `json:"admin_level,omitempty"`
		Type       *string           `json:"type,omitempty"`
		ParentCode *string           `json:"parent_code,omitempty" doc:"Moves the location and everything below it; \"\" makes it a root."`
		Disabled   *bool             `json:"disabled,omitempty" doc:"Disable (true) rather than delete a location records use: it is no longer offered for new records."`
	}
}

type importLocationsInput struct {
	RawBody     []byte `contentType:"text/csv"`
	contentType string
}

// Resolve keeps the request's Content-Type (a text/csv body or a form).
func (in *importLocationsInput) Resolve(ctx huma.Context) []error {
	in.contentType = ctx.Header("Content-Type")
	return nil
}

var _ huma.Resolver = (*importLocationsInput)(nil)

type importOutput struct {
	Location string `header:"Location"`
	Body     struct {
		Data locations.Import `json:"data"`
	}
}

type getImportInput struct {
	ID      string `path:"id" format:"uuid"`
	Outcome string `query:"outcome" enum:"applied,invalid," doc:"Only the report rows with this outcome."`
	Page    int    `query:"page" minimum:"1" default:"1"`
	Per     int    `query:"per" minimum:"1" maximum:"1000" default:"100"`
}

// importReport is an import with a page of its per-row report.
type importReport struct {
	locations.Import
	Report []locations.ReportRow `json:"report" doc:"One entry per data row, in file order (this page), written when the import has run."`
}

type importReportOutput struct {
	Body struct {
		Data     importReport `json:"data"`
		Metadata ListMetadata `json:"metadata" doc:"Paging of the report."`
	}
}

func registerLocations(api huma.API, s *Server) {
	tags := []string{"Locations"}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-locations", Method: http.MethodGet, Path: "/api/v2/locations", Tags: tags, Security: memberSecurity,
		Summary:     "List locations",
		Description: "In hierarchy order (each location before those below it). Every member may list them: forms offer location pickers.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, locations.PermRead), func(ctx context.Context, in *listLocationsInput) (*listOutput[locations.Location], error) {
		t, _ := tenantFrom(ctx)
		ls, total, err := s.locations.List(ctx, t.Code, locations.Filter{AdminLevel: in.AdminLevel.ptr(), Parent: in.Parent,
			Subtree: in.Subtree, Query: in.Query, Disabled: in.Disabled.ptr(), Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := listOf(ls)
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-location", Method: http.MethodGet, Path: "/api/v2/locations/{code}", Tags: tags, Security: memberSecurity,
		Summary: "Show a location", Errors: []int{http.StatusNotFound},
	}, locations.PermRead), func(ctx context.Context, in *locationCodePath) (*dataOutput[locations.Location], error) {
		t, _ := tenantFrom(ctx)
		l, err := s.locations.Get(ctx, t.Code, in.Code)
		if err != nil {
			return nil, problem(err)
		}
		return dataOf(l), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-location", Method: http.MethodPost, Path: "/api/v2/locations", Tags: tags, Security: memberSecurity,
		Summary: "Add a location", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, locations.PermWrite), func(ctx context.Context, in *createLocationInput) (*dataOutput[locations.Location], error) {
		t, _ := tenantFrom(ctx)
		b := in.Body
		l, err := s.locations.Create(ctx, t.Code, locations.Spec{Code: b.Code, ParentCode: b.ParentCode, AdminLevel: b.AdminLevel,
			Type: b.Type, Name: b.Name, Disabled: b.Disabled})
		if err != nil {
			return nil, problem(err)
		}
		return dataOf(l), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-location", Method: http.MethodPatch, Path: "/api/v2/locations/{code}", Tags: tags, Security: memberSecurity,
		Summary:     "Change, move or disable a location",
		Description: "The code never changes. Moving a location moves everything below it.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, locations.PermWrite), func(ctx context.Context, in *updateLocationInput) (*dataOutput[locations.Location], error) {
		t, _ := tenantFrom(ctx)
		b := in.Body
		if b.Name == nil && b.AdminLevel == nil && b.Type == nil && b.ParentCode == nil && b.Disabled == nil {
			return nil, huma.Error422UnprocessableEntity("Nothing to change.", &huma.ErrorDetail{Location: "body", Message: "give at least one field"})
		}
		l, err := s.locations.Update(ctx, t.Code, in.Code, locations.Patch{Name: b.Name, AdminLevel: b.AdminLevel, Type: b.Type,
			ParentCode: b.ParentCode, Disabled: b.Disabled})
		if err != nil {
			return nil, problem(err)
		}
		return dataOf(l), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "delete-location", Method: http.MethodDelete, Path: "/api/v2/locations/{code}", Tags: tags, Security: memberSecurity,
		Summary:     "Delete a location nothing uses",
		Description: "A location with locations below it, or used by records, is not deleted (409): disable it instead.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, locations.PermWrite), func(ctx context.Context, in *locationCodePath) (*struct{}, error) {
		t, _ := tenantFrom(ctx)
		return nil, problem(s.locations.Delete(ctx, t.Code, in.Code))
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "import-locations", Method: http.MethodPost, Path: "/api/v2/locations/import", Tags: tags, Security: memberSecurity,
		Summary: "Import locations from a CSV file (HXL-tagged accepted)",
		Description: "Send the file as the body (`text/csv`) or as the part `file` of a `multipart/form-data` form. " +
			"Columns: `code`, `parent_code`, `admin_level`, `type`, `disabled`, `name_<language>` (`name_en`, `name_fr`, ...). " +
			"Or HXL-tagged, as OCHA's common operational datasets: a hashtag row with `#country+code`, `#adm1+code`, " +
			"`#adm1+name+i_en`, `#adm2+code`, ...; each row names a location and its ancestors. " +
			"A file that cannot be imported (not CSV, no code column, unknown columns) is refused now (422). Otherwise the " +
			"import runs in the background: the answer (202) links to its progress and per-row report. Every valid row is " +
			"applied (added, or changed: names merge by language), every invalid one reported with its reason.",
		DefaultStatus: http.StatusAccepted,
		MaxBodyBytes:  locations.MaxFileBytes + 1<<20, // multipart overhead
		// Slow links upload 20 MiB in minutes, not the default 5 seconds.
		BodyReadTimeout: 5 * time.Minute,
		Errors:          []int{http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity},
	}, locations.PermWrite), func(ctx context.Context, in *importLocationsInput) (*importOutput, error) {
		t, _ := tenantFrom(ctx)
		up, err := uploadedFile(in.contentType, in.RawBody, []string{"text/csv", "application/csv", "text/plain"}, "text/csv")
		if err != nil {
			return nil, err
		}
		im, err := s.locations.StartImport(ctx, t.Code, up.filename, up.content)
		if err != nil {
			return nil, problem(err)
		}
		out := &importOutput{Location: "/api/v2/locations/imports/" + im.ID}
		out.Body.Data = im
		return out, nil
	})
	// The spec says the file may also come as a form.
	if op := api.OpenAPI().Paths["/api/v2/locations/import"].Post; op != nil && op.RequestBody != nil {
		op.RequestBody.Content["multipart/form-data"] = &huma.MediaType{Schema: &huma.Schema{Type: "object", Required: []string{"file"},
			Properties: map[string]*huma.Schema{"file": {Type: "string", Format: "binary", Description: "The CSV file."}}}}
	}

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-location-import", Method: http.MethodGet, Path: "/api/v2/locations/imports/{id}", Tags: tags,
		Security: memberSecurity, Summary: "An import's progress and per-row report",
		Description: "Progress is `rows_done` of `rows_total`. The report (one entry per data row: its row number in the " +
			"file, its code, applied or invalid and why) is written when the import has run. Needs the permission to import.",
		Errors: []int{http.StatusNotFound},
	}, locations.PermWrite), func(ctx context.Context, in *getImportInput) (*importReportOutput, error) {
		t, _ := tenantFrom(ctx)
		im, rows, total, err := s.locations.GetImport(ctx, t.Code, in.ID, locations.ReportFilter{Outcome: in.Outcome, Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := &importReportOutput{}
		out.Body.Data = importReport{Import: im, Report: append([]locations.ReportRow{}, rows...)}
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})
}

// locationInUseProblem is the 409 of removing locations that records use
// (code location_in_use, docs/errors.md): one errors[] entry per location
// named (code location_in_use, params location and count, or more_than past
// the counting limit), one for the others (code more_locations_in_use,
// param count), and the detail and messages composed in the caller's
// language from the catalogue's location_in_use:* texts, each count in its
// plural form.
func locationInUseProblem(e *locations.InUseError) error {
	p := &Problem{Status: http.StatusConflict, Title: http.StatusText(http.StatusConflict), Code: "location_in_use",
		params: map[string]string{"count": strconv.Itoa(e.Count())}}
	at := "" // a bundle's removal is what it leaves out: no place in the body
	if e.Delete {
		at = "path.code"
	}
	for _, u := range e.Uses {
		p.Errors = append(p.Errors, &ProblemDetail{Code: "location_in_use", Location: at, Value: u.Code, Params: useParams(u)})
	}
	if e.More > 0 {
		p.Errors = append(p.Errors, &ProblemDetail{Code: "more_locations_in_use", Params: map[string]string{"count": strconv.Itoa(e.More)}})
	}
	p.words = func(lang string) {
		p.Detail = locationInUseDetail(e, lang)
		for i, u := range e.Uses {
			p.Errors[i].Message = useText(lang, "location_in_use:used_by", u)
		}
		if e.More > 0 {
			p.Errors[len(e.Uses)].Message = l10n.Text(lang, "location_in_use:more_used", map[string]string{"count": strconv.Itoa(e.More)})
		}
	}
	p.words(l10n.Source)
	return p
}

// locationInUseDetail is the refusal as one sentence in language lang:
// "Records use locations SO1101 (3 records), SO1102 (more than 10000
// records), and 5 more: keep them (disabled) instead of removing them."
func locationInUseDetail(e *locations.InUseError, lang string) string {
	items := make([]string, 0, len(e.Uses)+1)
	for _, u := range e.Uses {
		items = append(items, u.Code+" ("+useText(lang, "location_in_use:records", u)+")")
	}
	if e.More > 0 {
		items = append(items, l10n.Text(lang, "location_in_use:more", map[string]string{"count": strconv.Itoa(e.More)}))
	}
	context := "location_in_use:remove"
	if e.Delete {
		context = "location_in_use:delete"
	}
	return l10n.Text(lang, context, map[string]string{"count": strconv.Itoa(e.Count()),
		"locations": strings.Join(items, l10n.Text(lang, "list:separator", nil))})
}

// useText words how many records use a location with the text of context
// (or of context_beyond, past the counting limit) in language lang.
func useText(lang, context string, u locations.Use) string {
	if u.Beyond {
		return l10n.Text(lang, context+"_beyond", map[string]string{"count": strconv.Itoa(locations.UseCountLimit)})
	}
	return l10n.Text(lang, context, map[string]string{"count": strconv.Itoa(u.Records)})
}

// useParams are a location's use for a client: its code and the count
// ("count"), or the limit the count passed ("more_than").
func useParams(u locations.Use) map[string]string {
	if u.Beyond {
		return map[string]string{"location": u.Code, "more_than": strconv.Itoa(locations.UseCountLimit)}
	}
	return map[string]string{"location": u.Code, "count": strconv.Itoa(u.Records)}
}
