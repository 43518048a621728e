package main

import (
	"context"
	"fmt"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
)

// demoLocations are the demo tenant's places: an invented country with three
// regions, districts and camps, named in English, French, Spanish and Arabic.
// The eastern transit site sits directly under its region (no district): a
// skipped level.
var demoLocations = []locations.Spec{
	{Code: "DM", AdminLevel: 0, Type: "country",
		Name: map[string]string{"en": "Demoland", "fr": "Démolande", "es": "Demolandia", "ar": "ديمولاند"}},

	{Code: "DM01", ParentCode: "DM", AdminLevel: 1, Type: "region",
		Name: map[string]string{"en": "Northern Highlands", "fr": "Hautes-Terres du Nord", "es": "Altiplano del Norte", "ar": "المرتفعات الشمالية"}},
	{Code: "DM02", ParentCode: "DM", AdminLevel: 1, Type: "region",
		Name: map[string]string{"en": "Coastal Plain", "fr": "Plaine côtière", "es": "Llanura Costera", "ar": "السهل الساحلي"}},
	{Code: "DM03", ParentCode: "DM", AdminLevel: 1, Type: "region",
		Name: map[string]string{"en": "Eastern Lakes", "fr": "Lacs de l'Est", "es": "Lagos del Este", "ar": "البحيرات الشرقية"}},

	{Code: "DM0101", ParentCode: "DM01", AdminLevel: 2, Type: "district",
		Name: map[string]string{"en": "Amara", "fr": "Amara", "es": "Amara", "ar": "أمارا"}},
	{Code: "DM0102", ParentCode: "DM01", AdminLevel: 2, Type: "district",
		Name: map[string]string{"en": "Belcor", "fr": "Belcor", "es": "Belcor", "ar": "بيلكور"}},
	{Code: "DM0201", ParentCode: "DM02", AdminLevel: 2, Type: "district",
		Name: map[string]string{"en": "Sirvane", "fr": "Sirvane", "es": "Sirvane", "ar": "سيرفان"}},
	{Code: "DM0202", ParentCode: "DM02", AdminLevel: 2, Type: "district",
		Name: map[string]string{"en": "Tolka", "fr": "Tolka", "es": "Tolka", "ar": "تولكا"}},
	{Code: "DM0203", ParentCode: "DM02", AdminLevel: 2, Type: "district",
		Name: map[string]string{"en": "Port Meren", "fr": "Port-Meren", "es": "Puerto Meren", "ar": "بورت ميرين"}},
	{Code: "DM0301", ParentCode: "DM03", AdminLevel: 2, Type: "district",
		Name: map[string]string{"en": "Kerrin", "fr": "Kerrin", "es": "Kerrin", "ar": "كيرين"}},
	{Code: "DM0302", ParentCode: "DM03", AdminLevel: 2, Type: "district",
		Name: map[string]string{"en": "Vasho", "fr": "Vasho", "es": "Vasho", "ar": "فاشو"}},

	{Code: "DM0101C01", ParentCode: "DM0101", AdminLevel: 3, Type: "camp",
		Name: map[string]string{"en": "Amara Hills camp", "fr": "Camp des collines d'Amara", "es": "Campamento Colinas de Amara", "ar": "مخيم تلال أمارا"}},
	{Code: "DM0202C01", ParentCode: "DM0202", AdminLevel: 3, Type: "camp",
		Name: map[string]string{"en": "Tolka Riverside camp", "fr": "Camp de la rivière Tolka", "es": "Campamento Ribera de Tolka", "ar": "مخيم ضفة تولكا"}},
	{Code: "DM0301C01", ParentCode: "DM0301", AdminLevel: 3, Type: "camp",
		Name: map[string]string{"en": "Kerrin Lakeshore camp", "fr": "Camp du lac Kerrin", "es": "Campamento Orilla de Kerrin", "ar": "مخيم شاطئ كيرين"}},
	{Code: "DM03S01", ParentCode: "DM03", AdminLevel: 3, Type: "site",
		Name: map[string]string{"en": "Eastern transit site", "fr": "Site de transit de l'Est", "es": "Sitio de tránsito del Este", "ar": "موقع العبور الشرقي"}},
}

// ensureDemoLocations gives the demo tenant its places, unless it has some
// (changes made while developing are kept). It acts as the seeder.
func ensureDemoLocations(ctx context.Context, d *deps, code string) (string, error) {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorSeeder))
	svc := locations.New(d.platform)
	_, total, err := svc.List(ctx, code, locations.Filter{Per: 1})
	if err != nil {
		return "", err
	}
	if total == 0 {
		if _, err := svc.Upsert(ctx, code, demoLocations); err != nil {
			return "", err
		}
		total = len(demoLocations)
	}
	return fmt.Sprintf("%d (GET /api/v2/locations?subtree=DM)", total), nil
}
