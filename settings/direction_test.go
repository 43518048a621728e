package settings_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/settings"
)

func TestDirectionOfLocales(t *testing.T) {
	t.Parallel()
	for locale, want := range map[string]string{
		"ar": "rtl", "ar-SD": "rtl", "fa": "rtl", "fa-AF": "rtl", "ur": "rtl", "he": "rtl", "ps": "rtl", "ckb": "rtl",
		"ku-Arab": "rtl", "pa-Arab": "rtl", "AR": "rtl",
		"en": "ltr", "fr": "ltr", "es": "ltr", "sw": "ltr", "so": "ltr", "ku": "ltr", "az-Latn": "ltr", "pt-BR": "ltr", "uz-Latn-UZ": "ltr",
	} {
		require.Equal(t, want, settings.Direction(locale), locale)
	}
}
