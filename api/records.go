package api

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// The operations shared by the three record types (cases, tracing
// requests, incidents): docs/records.md is their contract. Each type's file
// registers them with registerRecordOperations and adds its own.

// recordJSON is a record on the wire: one flat object (records.Record's
// MarshalJSON) whose schema lists the core attributes and allows the
// configured fields beside them.
type recordJSON struct{ records.Record }

// Schema describes recordJSON in the specs.
func (recordJSON) Schema(huma.Registry) *huma.Schema {
	str := func(doc string) *huma.Schema { return &huma.Schema{Type: huma.TypeString, Description: doc} }
	strs := func(doc string) *huma.Schema {
		return &huma.Schema{Type: huma.TypeArray, Items: &huma.Schema{Type: huma.TypeString}, Description: doc}
	}
	boolean := func(doc string) *huma.Schema { return &huma.Schema{Type: huma.TypeBoolean, Description: doc} }
	at := func(doc string) *huma.Schema {
		return &huma.Schema{Type: huma.TypeString, Format: "date-time", Description: doc}
	}
	return &huma.Schema{
		Type: huma.TypeObject,
		Description: "A record: its core attributes (below, set by the server unless said) and its configured fields " +
			"(docs/configuration.md), side by side in one object. Only the fields of forms the caller's role may read are present; " +
			"with hidden_name, name fields read \"" + records.HiddenNameMask + "\" for all but the owner and holders of <type>:view_hidden_name.",
		Properties: map[string]*huma.Schema{
			"id":                  {Type: huma.TypeString, Format: "uuid", Description: "The record's id; a client may choose it on create (offline clients)."},
			"short_id":            str("A short id for people, unique in the country instance."),
			"record_type":         {Type: huma.TypeString, Enum: []any{records.TypeCase, records.TypeTracingRequest, records.TypeIncident}},
			"module_id":           str("The module (e.g. primeromodule-cp); settable on create."),
			"status":              {Type: huma.TypeString, Enum: []any{"open", "closed"}},
			"workflow":            str("Where the record is in its workflow (e.g. new)."),
			"record_state":        boolean("False once disabled."),
			"flagged":             boolean("Flagged for attention."),
			"hidden_name":         boolean("Masks the child's name fields; settable."),
			"owned_by":            str("The owner's user name (email)."),
			"owned_by_agency_id":  str("The owner's agency (unique_id)."),
			"associated_user_ids": strs("The owner and the users assigned to the record."),
			"created_by":          str("Who created it."),
			"created_at":          at("When it was created."),
			"updated_by":          str("Who changed it last."),
			"updated_at":          at("When it was changed last."),
			"version":             {Type: huma.TypeInteger, Format: "int64", Description: "+1 on every write; the ETag."},
			"case_id":             {Type: huma.TypeString, Format: "uuid", Nullable: true, Description: "Incidents: the case it was created from."},
			"incident_ids":        strs("Cases: the incidents created from it."),
		},
		AdditionalProperties: true,
	}
}

// traceJSON is a trace on the wire (records.Trace's MarshalJSON).
type traceJSON struct{ records.Trace }

// Schema describes traceJSON in the specs.
func (traceJSON) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{
		Type:        huma.TypeObject,
		Description: "A trace: one child sought by a tracing request (a row of its " + records.TraceSubform + "), with the row's fields.",
		Properties: map[string]*huma.Schema{
			"id":                 {Type: huma.TypeString, Format: "uuid", Description: "The row's unique_id."},
			"tracing_request_id": {Type: huma.TypeString, Format: "uuid"},
			"created_at":         {Type: huma.TypeString, Format: "date-time"},
			"updated_at":         {Type: huma.TypeString, Format: "date-time"},
			"matched_case_id": {Type: huma.TypeString, Format: "uuid", Nullable: true,
				Description: "The case a reviewer confirmed as the child sought (FTR matching); null until then."},
		},
		AdditionalProperties: true,
	}
}

// recordWriteBody is the envelope of a record written.
type recordWriteBody struct {
	Data recordWriteData `json:"data"`
}

// recordWriteData is a record as a client writes it: one flat object.
type recordWriteData map[string]any

// Schema describes recordWriteData in the specs.
func (recordWriteData) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{
		Type: huma.TypeObject,
		Description: "The record as one flat object: its configured fields (docs/configuration.md), and on create optionally id, " +
			"module_id and hidden_name. On update hidden_name may change; other core attributes sent back are ignored. Subform rows " +
			"are matched by unique_id; in a PATCH a row with \"_destroy\": true is removed.",
		Properties: map[string]*huma.Schema{
			"id": {Type: huma.TypeString, Format: "uuid", Description: "On create: the record's id, chosen by the client (offline " +
				"clients); the same request sent again answers as the first did."},
			"module_id":   {Type: huma.TypeString, Description: "On create: the module (defaults to the only one of the record type)."},
			"hidden_name": {Type: huma.TypeBoolean, Description: "Mask the child's name fields for all but the owner and holders of <type>:view_hidden_name."},
		},
		AdditionalProperties: true,
	}
}

type recordOutput struct {
	ETag     string `header:"ETag" doc:"The record's version, e.g. \"3\": send it back as If-Match to change the record."`
	Location string `header:"Location"`
	Body     struct {
		Data recordJSON `json:"data"`
	}
}

func recordOut(r records.Record, location string) *recordOutput {
	out := &recordOutput{ETag: etag(r.Version), Location: location}
	out.Body.Data = recordJSON{r}
	return out
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// RecordListMetadata is the metadata of a page of records.
type RecordListMetadata struct {
	Total  int    `json:"total" doc:"Number of records matching, in all pages, within the caller's scope."`
	Per    int    `json:"per" doc:"Records per page."`
	Page   int    `json:"page" doc:"This page's number, from 1."`
	Cursor string `json:"cursor,omitempty" doc:"When ordered by updated_at ascending and more records follow: pass it as cursor to continue after this page (sync clients)."`
}

type recordListOutput struct {
	Body struct {
		Data     []recordJSON       `json:"data"`
		Metadata RecordListMetadata `json:"metadata"`
	}
}

type recordIDPath struct {
	ID string `path:"id" format:"uuid" doc:"The record's id."`
}

type createRecordInput struct {
	Body recordWriteBody
}

type createIncidentInput struct {
	ID   string `path:"id" format:"uuid" doc:"The case's id."`
	Body recordWriteBody
}

// ifMatchVersions parses If-Match (with X-Base-Version, which excludes it);
// nil when absent.
func ifMatchVersions(ifMatch string, baseVersion int64) ([]int64, error) {
	h := strings.TrimSpace(ifMatch)
	if h == "" {
		return nil, nil
	}
	if baseVersion != 0 {
		return nil, &tenancy.InvalidError{In: "header", Field: "If-Match", Reason: "send If-Match or X-Base-Version, not both"}
	}
	out := []int64{}
	for _, tag := range strings.Split(h, ",") {
		tag = strings.TrimSpace(tag)
		switch {
		case tag == "*":
			return nil, &tenancy.InvalidError{In: "header", Field: "If-Match", Value: tag,
				Reason: "name the version you change (its ETag, e.g. \"3\"): * would overwrite whatever is there"}
		case strings.HasPrefix(tag, "W/"): // weak tags never match If-Match (RFC 9110, strong comparison)
			continue
		}
		n, err := strconv.ParseInt(strings.Trim(tag, `"`), 10, 64)
		if err != nil || len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
			return nil, &tenancy.InvalidError{In: "header", Field: "If-Match", Value: tag, Reason: "must be an ETag such as \"3\""}
		}
		out = append(out, n)
	}
	return out, nil
}

type updateRecordInput struct {
	ID          string `path:"id" format:"uuid" doc:"The record's id."`
	IfMatch     string `header:"If-Match" doc:"The version the change applies to, as its ETag (\"3\"). 412 if the record is at another version."`
	BaseVersion int64  `header:"X-Base-Version" minimum:"1" doc:"Instead of If-Match: the version the client edited from (offline or long edits). The server merges the client's changes with those made since; 409 listing the conflicts if a field changed on both sides."`
	Body        recordWriteBody
}

type setRecordStateInput struct {
	ID      string `path:"id" format:"uuid" doc:"The record's id."`
	IfMatch string `header:"If-Match" doc:"Optional: the version the change applies to (412 if the record is at another)."`
}

// listRecordsInput are a list's query parameters. Other parameters are
// filters by field name (records.CoreFilters and the fields configured
// filterable); a parameter that is neither is refused (422), never ignored.
type listRecordsInput struct {
	Page         int       `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	Per          int       `query:"per" minimum:"1" maximum:"1000" default:"20" doc:"Records per page."`
	OrderBy      string    `query:"order_by" maxLength:"80" doc:"Order by one of: created_at, updated_at (the default), short_id, status, workflow, sex, age, date_of_birth, registration_date, risk_level, or a field configured filterable. A phonetic search without order_by is ranked best first."`
	Order        string    `query:"order" enum:"asc,desc" doc:"asc or desc (the default)."`
	UpdatedSince time.Time `query:"updated_since" doc:"Only records changed at or after this time (RFC 3339)."`
	RecordState  string    `query:"record_state" enum:"true,false" doc:"true (the default): enabled records; false: disabled ones."`
	Cursor       string    `query:"cursor" maxLength:"200" doc:"Continue after the page that returned this cursor (ordered by updated_at ascending)."`
	Query        string    `query:"query" maxLength:"200" doc:"Search: names (each word part of a name), short ids and ID fields; see id_search, phone_number and phonetic."`
	IDSearch     bool      `query:"id_search" doc:"query is an identifier: exact match on short ids and ID fields (letters and digits, case and separators ignored)."`
	PhoneNumber  bool      `query:"phone_number" doc:"query is a phone number: exact match on phone fields (digits only)."`
	Phonetic     bool      `query:"phonetic" doc:"query is a name: each word finds its spellings in Latin and Arabic script (Mohamed, Muhammad, محمد), ranked best first."`
	Fields       string    `query:"fields" maxLength:"2000" doc:"Comma-separated configured fields the records carry (core attributes always); all readable fields if absent."`

	filters map[string][]string
}

// listQueryParams are the query parameters lists take besides filters.
var listQueryParams = []string{"page", "per", "order_by", "order", "updated_since", "record_state", "cursor", "query", "id_search",
	"phone_number", "phonetic", "fields"}

// Resolve takes every other parameter as a filter by field name (the
// records service refuses the names that are not filters) and refuses
// parameters that cannot be a field's name.
func (in *listRecordsInput) Resolve(ctx huma.Context) []error {
	var errs []error
	u := ctx.URL()
	for name, vals := range u.Query() {
		switch {
		case slices.Contains(listQueryParams, name):
		case isFilterName(name):
			if in.filters == nil {
				in.filters = map[string][]string{}
			}
			in.filters[name] = vals
		default:
			errs = append(errs, &huma.ErrorDetail{Location: "query." + truncate(name, 80), Message: "unknown parameter; lists take " +
				strings.Join(listQueryParams, ", ") + " and filters by field name"})
		}
	}
	return errs
}

func isFilterName(s string) bool {
	if s == "" || len(s) > 80 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

var _ huma.Resolver = (*listRecordsInput)(nil)

func (in *listRecordsInput) params() records.ListParams {
	p := records.ListParams{Page: in.Page, Per: in.Per, OrderBy: in.OrderBy, Order: in.Order, UpdatedSince: in.UpdatedSince, Cursor: in.Cursor,
		Search: records.Search{Filters: in.filters, Query: in.Query, IDSearch: in.IDSearch, PhoneNumber: in.PhoneNumber, Phonetic: in.Phonetic}}
	if in.Fields != "" {
		for _, f := range strings.Split(in.Fields, ",") {
			if f = strings.TrimSpace(f); f != "" {
				p.Fields = append(p.Fields, f)
			}
		}
	}
	if in.RecordState != "" {
		enabled := in.RecordState == "true"
		p.Enabled = &enabled
	}
	return p
}

type historyInput struct {
	ID string `path:"id" format:"uuid" doc:"The record's id."`
	PageParams
}

type historyOutput struct {
	Body struct {
		Data     []records.HistoryEntry `json:"data"`
		Metadata ListMetadata           `json:"metadata"`
	}
}

// recordTypeAPI names one record type's operations.
type recordTypeAPI struct {
	recordType string
	resource   string // path segment and permission resource: cases
	singular   string // operation ids: case
	plural     string // operation ids: cases
	noun       string // in summaries: case
	tag        string
}

func (t recordTypeAPI) perm(action string) policy.Permission {
	return policy.Permission{Resource: t.resource, Action: action}
}

// registerRecordOperations registers create, list, get, update (PATCH),
// replace (PUT), disable, enable and history for one record type.
func registerRecordOperations(api huma.API, s *Server, t recordTypeAPI) {
	base := "/api/v2/" + t.resource
	tags := []string{t.tag}
	errs := []int{http.StatusNotFound, http.StatusUnprocessableEntity}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-" + t.singular, Method: http.MethodPost, Path: base, Tags: tags, Security: memberSecurity,
		Summary: "Create a " + t.noun,
		Description: "The caller owns the new " + t.noun + ". The data is validated against the configuration as the caller's role " +
			"writes it (422 listing every bad value; nothing is written). With a client-chosen id, sending the same request again " +
			"answers 201 with the same " + t.noun + " (no second one); another request with that id is a 409.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, t.perm("write")), func(ctx context.Context, in *createRecordInput) (*recordOutput, error) {
		tc, _ := tenantFrom(ctx)
		r, _, err := s.records.Create(ctx, tc.Code, t.recordType, records.CreateInput{Body: records.Data(in.Body.Data)})
		if err != nil {
			return nil, problem(err)
		}
		return recordOut(r, base+"/"+r.ID), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-" + t.plural, Method: http.MethodGet, Path: base, Tags: tags, Security: memberSecurity,
		Summary:     "List " + t.noun + "s",
		Description: "Only the " + t.noun + "s within the caller's record scope; the total and the pages are exact.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, t.perm("read")), func(ctx context.Context, in *listRecordsInput) (*recordListOutput, error) {
		tc, _ := tenantFrom(ctx)
		res, err := s.records.List(ctx, tc.Code, t.recordType, in.params())
		if err != nil {
			return nil, problem(err)
		}
		out := &recordListOutput{}
		out.Body.Data = make([]recordJSON, len(res.Records))
		for i, r := range res.Records {
			out.Body.Data[i] = recordJSON{r}
		}
		out.Body.Metadata = RecordListMetadata{Total: res.Total, Per: in.Per, Page: in.Page, Cursor: res.Cursor}
		if in.Cursor != "" {
			out.Body.Metadata.Page = 1
		}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-" + t.singular, Method: http.MethodGet, Path: base + "/{id}", Tags: tags, Security: memberSecurity,
		Summary: "Show a " + t.noun, Description: "404 for a " + t.noun + " outside the caller's scope, as for a missing one.",
		Errors: []int{http.StatusNotFound},
	}, t.perm("read")), func(ctx context.Context, in *recordIDPath) (*recordOutput, error) {
		tc, _ := tenantFrom(ctx)
		r, err := s.records.Get(ctx, tc.Code, t.recordType, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		return recordOut(r, ""), nil
	})

	update := func(replace bool) func(context.Context, *updateRecordInput) (*recordOutput, error) {
		return func(ctx context.Context, in *updateRecordInput) (*recordOutput, error) {
			tc, _ := tenantFrom(ctx)
			versions, err := ifMatchVersions(in.IfMatch, in.BaseVersion)
			if err != nil {
				return nil, problem(err)
			}
			r, err := s.records.Update(ctx, tc.Code, t.recordType, records.UpdateInput{ID: in.ID, Body: records.Data(in.Body.Data),
				Replace: replace, IfMatch: versions, BaseVersion: in.BaseVersion})
			if err != nil {
				return nil, problem(err)
			}
			return recordOut(r, ""), nil
		}
	}
	updateErrs := []int{http.StatusNotFound, http.StatusPreconditionFailed, http.StatusUnprocessableEntity, http.StatusPreconditionRequired}
	conflict := map[string]*huma.Response{"409": {
		Description: "Conflict: a merge (X-Base-Version) found fields changed on both sides (nothing was applied), or the record is disabled.",
		Content: map[string]*huma.MediaType{"application/problem+json": {
			Schema: api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[conflictProblem](), true, "MergeConflict")}},
	}}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-" + t.singular, Method: http.MethodPatch, Path: base + "/{id}", Tags: tags, Security: memberSecurity,
		Summary: "Change some fields of a " + t.noun,
		Description: "Only the fields sent change (null removes one); subform rows are matched by unique_id (a row with \"_destroy\": true " +
			"is removed, rows not sent stay). Needs If-Match (428 without it, 412 if stale) or X-Base-Version (merge; 409 with the " +
			"conflicts, nothing applied).",
		Errors: updateErrs, Responses: conflict,
	}, t.perm("write")), update(false))

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "replace-" + t.singular, Method: http.MethodPut, Path: base + "/{id}", Tags: tags, Security: memberSecurity,
		Summary: "Replace the data of a " + t.noun,
		Description: "The body is the whole data: fields the caller may read that it leaves out are removed (those of forms it " +
			"cannot read are kept). Needs If-Match or X-Base-Version, as PATCH.",
		Errors: updateErrs, Responses: conflict,
	}, t.perm("write")), update(true))

	setState := func(enabled bool) func(context.Context, *setRecordStateInput) (*recordOutput, error) {
		return func(ctx context.Context, in *setRecordStateInput) (*recordOutput, error) {
			tc, _ := tenantFrom(ctx)
			versions, err := ifMatchVersions(in.IfMatch, 0)
			if err != nil {
				return nil, problem(err)
			}
			r, err := s.records.SetEnabled(ctx, tc.Code, t.recordType, in.ID, enabled, versions)
			if err != nil {
				return nil, problem(err)
			}
			return recordOut(r, ""), nil
		}
	}
	for _, st := range []struct {
		verb    string
		enabled bool
		what    string
	}{{"disable", false, "Disabled records leave the default lists and cannot be changed until enabled again."}, {"enable", true, "Undoes disable."}} {
		huma.Register(api, withPermission(huma.Operation{
			OperationID: st.verb + "-" + t.singular, Method: http.MethodPost, Path: base + "/{id}/" + st.verb, Tags: tags,
			Security: memberSecurity, Summary: strings.ToUpper(st.verb[:1]) + st.verb[1:] + " a " + t.noun, Description: st.what,
			Errors: []int{http.StatusNotFound, http.StatusPreconditionFailed},
		}, t.perm("disable")), setState(st.enabled))
	}

	registerErase(api, s, t)

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-" + t.singular + "-history", Method: http.MethodGet, Path: base + "/{id}/record_history", Tags: tags,
		Security: memberSecurity, Summary: "The change log of a " + t.noun,
		Description: "Every write, newest first: who, when, and each field's old and new values (fields of forms the caller cannot " +
			"read are left out; hidden names are masked).",
		Errors: errs,
	}, t.perm("history")), func(ctx context.Context, in *historyInput) (*historyOutput, error) {
		tc, _ := tenantFrom(ctx)
		entries, total, err := s.records.History(ctx, tc.Code, t.recordType, in.ID, tenancy.Page{Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := &historyOutput{}
		out.Body.Data = append([]records.HistoryEntry{}, entries...)
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})
}

// conflictProblem is the 409 of a merge: the problem and every conflict.
type conflictProblem struct {
	Problem
	Conflicts []records.Conflict `json:"conflicts" doc:"Each field changed both since your base version and by you: its value at base, now (theirs) and yours."`
}

func recordProblem(err error) (error, bool) {
	switch e := err.(type) {
	case *records.StaleError:
		return huma.ErrorWithHeaders(withCode(huma.NewError(http.StatusPreconditionFailed, "The record changed since the version you sent: it is at version "+
			strconv.FormatInt(e.Current, 10)+". Read it again and redo your change, or send X-Base-Version to merge."),
			"stale", map[string]string{"version": strconv.FormatInt(e.Current, 10)}), http.Header{"ETag": {etag(e.Current)}}), true
	case *records.ConflictError:
		p := &conflictProblem{Problem: Problem{Status: http.StatusConflict, Title: "Conflict", Code: "edit_conflict",
			Detail: fmt.Sprintf("%d field(s) changed both since your base version and by you; nothing was applied. "+
				"Resolve them and send again with X-Base-Version %d.", len(e.Conflicts), e.Current),
			params: map[string]string{"count": strconv.Itoa(len(e.Conflicts)), "version": strconv.FormatInt(e.Current, 10)}},
			Conflicts: e.Conflicts}
		return huma.ErrorWithHeaders(p, http.Header{"ETag": {etag(e.Current)}}), true
	}
	if err == records.ErrPreconditionRequired {
		return huma.NewError(http.StatusPreconditionRequired, "Send If-Match with the version you change (its ETag), or X-Base-Version "+
			"with the version you edited from: updates never overwrite changes you have not seen."), true
	}
	return nil, false
}
