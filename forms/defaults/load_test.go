package defaults

// This file reads the default configuration strictly, into test-only types
// that mirror docs/configuration.md. It deliberately does not use package
// forms: the content is checked on its own, against the documented format.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// text is a translated text: locale -> words.
type text map[string]string

type option struct {
	ID          string `json:"id"`
	DisplayText text   `json:"display_text"`
	Disabled    bool   `json:"disabled"`
}

type lookup struct {
	UniqueID string   `json:"unique_id"`
	Name     text     `json:"name"`
	Values   []option `json:"values"`
}

type moduleOptions struct {
	Approvals []string `json:"approvals"`
	Referral  bool     `json:"referral"`
	Tracing   bool     `json:"tracing"`
	Transfer  bool     `json:"transfer"`
}

type module struct {
	UniqueID              string        `json:"unique_id"`
	Name                  text          `json:"name"`
	AssociatedRecordTypes []string      `json:"associated_record_types"`
	Options               moduleOptions `json:"options"`
}

type calculation struct {
	AgeFrom string   `json:"age_from"`
	Sum     []string `json:"sum"`
}

// field is one field of a form. keys lists the JSON keys the file gave, so
// that attributes of another field type are refused.
type field struct {
	Name                   string          `json:"name"`
	Type                   string          `json:"type"`
	DisplayName            text            `json:"display_name"`
	HelpText               text            `json:"help_text"`
	GuidingQuestions       text            `json:"guiding_questions"`
	Required               bool            `json:"required"`
	Visible                *bool           `json:"visible"`
	HideOnViewPage         bool            `json:"hide_on_view_page"`
	MobileVisible          *bool           `json:"mobile_visible"`
	Editable               *bool           `json:"editable"`
	DisplayConditions      json.RawMessage `json:"display_conditions"`
	Matchable              bool            `json:"matchable"`
	Filterable             bool            `json:"filterable"`
	IDField                bool            `json:"id_field"`
	PhoneNumber            bool            `json:"phone_number"`
	MaxLength              *int            `json:"max_length"`
	OptionStringsSource    string          `json:"option_strings_source"`
	OptionStringsText      []option        `json:"option_strings_text"`
	MultiSelect            bool            `json:"multi_select"`
	TickBoxLabel           text            `json:"tick_box_label"`
	MinValue               *float64        `json:"min_value"`
	MaxValue               *float64        `json:"max_value"`
	Integer                bool            `json:"integer"`
	DateIncludeTime        bool            `json:"date_include_time"`
	DateValidation         string          `json:"date_validation"`
	LocationAdminLevel     *int            `json:"location_admin_level"`
	MaxAttachments         *int            `json:"max_attachments"`
	SubformSectionUniqueID string          `json:"subform_section_unique_id"`
	SubformMaxRows         *int            `json:"subform_max_rows"`
	SubformSortBy          string          `json:"subform_sort_by"`
	Tally                  []option        `json:"tally"`
	Calculation            *calculation    `json:"calculation"`

	keys []string
}

// UnmarshalJSON decodes a field strictly and remembers which keys it had.
func (f *field) UnmarshalJSON(b []byte) error {
	type plain field
	var p plain
	// Duplicate keys were refused for the whole file already.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*f = field(p)
	f.keys = make([]string, 0, len(m))
	for k := range m {
		f.keys = append(f.keys, k)
	}
	sort.Strings(f.keys)
	return nil
}

type form struct {
	UniqueID       string   `json:"unique_id"`
	ParentForm     string   `json:"parent_form"`
	ModuleIDs      []string `json:"module_ids"`
	FormGroupID    string   `json:"form_group_id"`
	FormGroupName  text     `json:"form_group_name"`
	Name           text     `json:"name"`
	Description    text     `json:"description"`
	Order          int      `json:"order"`
	OrderFormGroup int      `json:"order_form_group"`
	Visible        *bool    `json:"visible"`
	IsNested       bool     `json:"is_nested"`
	CoreForm       bool     `json:"core_form"`
	Fields         []field  `json:"fields"`

	file string // path in FS
}

// config is the whole default configuration.
type config struct {
	Modules []module
	Lookups []lookup
	Forms   []form
	// Roles maps role unique_id -> form unique_id -> "r" | "rw".
	Roles map[string]map[string]string
	// KnownRoles are the default roles' unique_ids created by the tenant migrations.
	KnownRoles []string
}

// decodeStrict decodes one JSON value, refusing unknown keys, duplicate keys
// and trailing data.
func decodeStrict(b []byte, v any) error {
	if err := noDuplicateKeys(b); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	return nil
}

// noDuplicateKeys refuses an object that gives one key twice (encoding/json
// would silently keep the last one).
func noDuplicateKeys(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var walk func(where string) error
	walk = func(where string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		delim, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		switch delim {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if seen[k] {
					return fmt.Errorf("duplicate key %q in %s", k, where)
				}
				seen[k] = true
				if err := walk(where + "." + k); err != nil {
					return err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s[%d]", where, i)); err != nil {
					return err
				}
			}
		}
		_, err = dec.Token() // the closing delimiter
		return err
	}
	return walk("$")
}

func decodeFile(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if err := decodeStrict(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// roleInsert finds the role unique_ids a migration inserts.
var roleInsert = regexp.MustCompile(`\('(role-[a-z0-9-]+)',`)

// loadConfig reads the default configuration from fsys and the default roles
// from the tenant migration that creates them.
func loadConfig(fsys fs.FS, rolesSQL string) (*config, error) {
	c := &config{}
	if err := decodeFile(fsys, "modules.json", &c.Modules); err != nil {
		return nil, err
	}
	if err := decodeFile(fsys, "lookups.json", &c.Lookups); err != nil {
		return nil, err
	}
	if err := decodeFile(fsys, "roles.json", &c.Roles); err != nil {
		return nil, err
	}
	err := fs.WalkDir(fsys, "forms", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(p) != ".json" {
			return fmt.Errorf("%s: only .json files belong under forms/", p)
		}
		var f form
		if err := decodeFile(fsys, p, &f); err != nil {
			return err
		}
		f.file = p
		c.Forms = append(c.Forms, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, m := range roleInsert.FindAllStringSubmatch(rolesSQL, -1) {
		c.KnownRoles = append(c.KnownRoles, m[1])
	}
	return c, nil
}

// rolesMigration is the tenant migration that creates the default roles.
const rolesMigration = "../../migrations/tenant/004_users_roles.sql"

// sharedDefaults is the default configuration read once, for the tests that
// only read it; a test that changes its configuration loads its own.
var sharedDefaults = sync.OnceValues(loadDefaults)

func loadDefaults() (*config, error) {
	sql, err := os.ReadFile(rolesMigration)
	if err != nil {
		return nil, err
	}
	create, _, _ := strings.Cut(string(sql), "---- create above / drop below ----")
	return loadConfig(FS, create)
}
