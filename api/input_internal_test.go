package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// BenchmarkCheckJSON measures the input check every request body goes
// through before Huma decodes it (figures in docs/architecture.md).
func BenchmarkCheckJSON(b *testing.B) {
	for _, size := range []struct {
		name string
		rows int
	}{{"1KB", 8}, {"100KB", 800}} {
		rows := make([]map[string]any, size.rows)
		for i := range rows {
			rows[i] = map[string]any{"name_first": "Amina", "name_last": "Njoroge", "age": 12, "notes": strings.Repeat("x", 60)}
		}
		body, _ := json.Marshal(map[string]any{"data": map[string]any{"family_details_section": rows}})
		b.Run(size.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if d := checkJSON(body); len(d) != 0 {
					b.Fatal(d)
				}
			}
		})
	}
}
