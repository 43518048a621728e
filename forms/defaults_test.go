package forms_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
)

// The default configuration's labels are given in these locales (DESIGN.md).
var defaultLocales = []string{"en", "fr", "es", "ar"}

func TestDefaultConfiguration(t *testing.T) {
	t.Parallel()

	t.Run("PassesItsOwnChecks", func(t *testing.T) {
		t.Parallel()
		b, err := forms.LoadDefaults()
		require.NoError(t, err)
		require.Empty(t, forms.CheckBundle(b))
		require.NotEmpty(t, b.Forms)
		require.NotEmpty(t, b.Modules)
		for _, f := range b.Forms {
			require.True(t, f.CoreForm, "form %s of the default configuration must be a core form", f.UniqueID)
		}
	})

	t.Run("LabelsInEveryDefaultLocale", func(t *testing.T) {
		t.Parallel()
		b, err := forms.LoadDefaults()
		require.NoError(t, err)
		texts := translatedTexts(reflect.ValueOf(b), "defaults")
		require.NotEmpty(t, texts)
		for path, text := range texts {
			for _, locale := range defaultLocales {
				require.NotEmpty(t, text[locale], "%s has no %s text", path, locale)
			}
		}
	})

	t.Run("SeededInEveryNewTenant", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		want, err := forms.LoadDefaults()
		require.NoError(t, err)
		got, version, err := tb.svc.Export(as(admin), "ke")
		require.NoError(t, err)
		require.EqualValues(t, 1, version, "seeding makes version 1")
		require.Equal(t, mustJSON(t, want.Forms), mustJSON(t, got.Forms))
		require.Equal(t, mustJSON(t, want.Lookups), mustJSON(t, got.Lookups))
		for _, m := range want.Modules {
			require.Contains(t, got.Modules, m)
		}
		for role, access := range want.Roles {
			require.Equal(t, access, got.Roles[role], role)
		}
		// The stored configuration passes the checks of a whole bundle import, as is.
		res, err := tb.svc.Import(as(admin), "ke", got, forms.ImportOptions{DryRun: true})
		require.NoError(t, err)
		require.Empty(t, res.Changes)
	})

	t.Run("EveryDefaultFormValidatesSampleData", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		b, err := forms.LoadDefaults()
		require.NoError(t, err)
		for _, m := range b.Modules {
			for _, rt := range m.AssociatedRecordTypes {
				v := tb.validator(t, "ke", rt, m.UniqueID)
				data := sampleData(v)
				require.Empty(t, v.Validate(data), "%s %s: %v", m.UniqueID, rt, data)
			}
		}
	})
}

// translatedTexts finds every forms.Text in v, by path.
func translatedTexts(v reflect.Value, path string) map[string]forms.Text {
	out := map[string]forms.Text{}
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), path+"."+v.Type().Field(i).Name)
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Map:
			if t, ok := v.Interface().(forms.Text); ok {
				if len(t) > 0 {
					out[path] = t
				}
				return
			}
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k), path+"."+fmt.Sprint(k.Interface()))
			}
		}
	}
	walk(v, path)
	return out
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
