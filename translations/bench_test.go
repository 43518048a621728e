package translations_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/translations"
)

// BenchmarkExport writes the French PO file of the default configuration
// (every form, lookup and module label, two locations, the web app's
// catalogue): permission, tenant transaction, reading and writing.
func BenchmarkExport(b *testing.B) {
	tb := setup(b)
	var size int
	for b.Loop() {
		out, err := tb.svc.Export(as(admin), "ke", translations.ExportParams{Locale: "fr"})
		require.NoError(b, err)
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/file")
}

// BenchmarkImport imports a French PO file in which every entry has a new
// text (so every text is applied): upload checks and storing the file,
// then the job's work (judging, relabelling the configuration, renaming
// locations, the UI overrides, the report).
func BenchmarkImport(b *testing.B) {
	tb := setup(b)
	f, err := translations.Parse(func() []byte {
		out, err := tb.svc.Export(as(admin), "ke", translations.ExportParams{Locale: "fr"})
		require.NoError(b, err)
		return out
	}())
	require.NoError(b, err)
	i := 0
	for b.Loop() {
		i++
		for j := range f.Entries {
			f.Entries[j].Str = fmt.Sprintf("%s (fr %d)", f.Entries[j].ID, i)
		}
		content := translations.Write(f)
		im, err := tb.svc.StartImport(as(admin), "ke", "fr", "fr.po", content)
		require.NoError(b, err)
		require.NoError(b, tb.svc.RunImport(translator(), "ke", im.ID, true))
		b.StopTimer()
		im, _, _, err = tb.svc.GetImport(as(admin), "ke", im.ID, translations.ReportFilter{Per: 1})
		require.NoError(b, err)
		require.Equal(b, len(f.Entries), im.Applied, "every entry applied")
		b.StartTimer()
	}
	b.ReportMetric(float64(len(f.Entries)), "entries")
}
