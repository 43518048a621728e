package locations_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/cpims-hosted/cpims/locations"
)

// generated builds a hierarchy of n locations (n > 5,209): a country, 24
// regions, 24 districts per region, 8 sub-districts per district, and
// villages spread over the sub-districts for the rest.
func generated(n int) []locations.Spec {
	out := make([]locations.Spec, 0, n)
	add := func(code, parent string, level int, typ, en, fr, ar string) {
		out = append(out, locations.Spec{Code: code, ParentCode: parent, AdminLevel: level, Type: typ,
			Name: map[string]string{"en": en, "fr": fr, "ar": ar}})
	}
	add("BM", "", 0, "country", "Benchmarkland", "Benchmarquie", "بنشمارك")
	var subs []string
	for r := 1; r <= 24; r++ {
		rc := fmt.Sprintf("BM%02d", r)
		add(rc, "BM", 1, "region", fmt.Sprintf("Region %d", r), fmt.Sprintf("Région %d", r), fmt.Sprintf("منطقة %d", r))
		for d := 1; d <= 24; d++ {
			dc := fmt.Sprintf("%s%02d", rc, d)
			add(dc, rc, 2, "district", fmt.Sprintf("District %d-%d", r, d), fmt.Sprintf("District %d-%d", r, d), fmt.Sprintf("مديرية %d-%d", r, d))
			for s := 1; s <= 8; s++ {
				sc := fmt.Sprintf("%s%02d", dc, s)
				add(sc, dc, 3, "sub_district", "Sub-district "+sc, "Sous-district "+sc, "ناحية "+sc)
				subs = append(subs, sc)
			}
		}
	}
	for v := 0; len(out) < n; v++ {
		sc := subs[v%len(subs)]
		vc := fmt.Sprintf("%sV%d", sc, v/len(subs))
		add(vc, sc, 4, "village", "Village "+vc, "Village "+vc, "قرية "+vc)
	}
	return out
}

// generatedCSV is generated(n) as a locations CSV file.
func generatedCSV(n int) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"code", "parent_code", "admin_level", "type", "name_en", "name_fr", "name_ar"})
	for _, s := range generated(n) {
		_ = w.Write([]string{s.Code, s.ParentCode, strconv.Itoa(s.AdminLevel), s.Type, s.Name["en"], s.Name["fr"], s.Name["ar"]})
	}
	w.Flush()
	return buf.Bytes()
}
