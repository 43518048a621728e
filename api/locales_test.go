package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLocalesAreAddedAndRemovedThroughTheAPI adds a language to a tenant
// after its creation and removes it again: the settings list it with its
// direction, platform.tenants agrees, translations and members accept it at
// once, and the refusals (present, default, in use, unknown, not a tag)
// change nothing.
func TestLocalesAreAddedAndRemovedThroughTheAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	platformLocales := func() []string {
		tn, err := mb.p.Get(context.Background(), "ke")
		require.NoError(t, err)
		return tn.Locales
	}

	// Before: sw is no language of the instance.
	requireProblem(t, mb.call(t, "GET", "/api/v2/translations/ui/sw", "", nil, nil), http.StatusNotFound)
	requireProblem(t, mb.call(t, "PATCH", "/api/v2/users/me", cw.token, nil, map[string]any{"locale": "sw"}), http.StatusUnprocessableEntity)

	res := mb.call(t, "POST", "/api/v2/system_settings/locales", admin.token, nil, map[string]any{"locale": "sw"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	require.Equal(t, []any{"en", "ar", "sw"}, data(res)["locales"])
	require.Equal(t, map[string]any{"en": "ltr", "ar": "rtl", "sw": "ltr"}, data(res)["directions"])
	require.Equal(t, []string{"en", "ar", "sw"}, platformLocales(), "platform.tenants follows the tenant's settings")
	res = mb.call(t, "POST", "/api/v2/system_settings/locales", admin.token, nil, map[string]any{"locale": "ckb"})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	require.Equal(t, "rtl", data(res)["directions"].(map[string]any)["ckb"])
	res = mb.call(t, "GET", "/api/v2/system_settings", "", nil, nil)
	require.Equal(t, []any{"en", "ar", "sw", "ckb"}, data(res)["locales"])

	// The new language is usable at once: the web app's texts, the PO export, a member's choice.
	res = mb.call(t, "GET", "/api/v2/translations/ui/sw", "", nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "sw", data(res)["locale"])
	res = mb.call(t, "GET", "/api/v2/translations/sw.po", admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Contains(t, res.Body.String(), `"Language: sw\n"`)
	res = mb.call(t, "PATCH", "/api/v2/users/me", cw.token, nil, map[string]any{"locale": "sw"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	// Refusals, each changing nothing.
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"POST", "/api/v2/system_settings/locales", map[string]any{"locale": "sw"}, http.StatusConflict},
		{"POST", "/api/v2/system_settings/locales", map[string]any{"locale": "SW"}, http.StatusUnprocessableEntity},
		{"POST", "/api/v2/system_settings/locales", map[string]any{"locale": "english"}, http.StatusUnprocessableEntity},
		{"POST", "/api/v2/system_settings/locales", map[string]any{"locale": "en-us"}, http.StatusUnprocessableEntity},
		{"DELETE", "/api/v2/system_settings/locales/en", nil, http.StatusConflict},
		{"DELETE", "/api/v2/system_settings/locales/sw", nil, http.StatusConflict},
		{"DELETE", "/api/v2/system_settings/locales/fr", nil, http.StatusNotFound},
		{"DELETE", "/api/v2/system_settings/locales/x1", nil, http.StatusUnprocessableEntity},
	} {
		res := mb.call(t, c.method, c.path, admin.token, nil, c.body)
		requireProblem(t, res, c.status)
		require.Equal(t, []string{"en", "ar", "sw", "ckb"}, platformLocales(), "%s %s", c.method, c.path)
	}
	res = mb.call(t, "DELETE", "/api/v2/system_settings/locales/sw", admin.token, nil, nil)
	require.Contains(t, res.body["detail"], "1 user(s) have sw as their language")
	require.Contains(t, mb.call(t, "DELETE", "/api/v2/system_settings/locales/en", admin.token, nil, nil).body["detail"], "default language")

	// Once nobody uses it, it goes: from the settings, the platform and translations.
	res = mb.call(t, "PATCH", "/api/v2/users/me", cw.token, nil, map[string]any{"locale": "en"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	res = mb.call(t, "DELETE", "/api/v2/system_settings/locales/sw", admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, []any{"en", "ar", "ckb"}, data(res)["locales"])
	require.Equal(t, []string{"en", "ar", "ckb"}, platformLocales())
	requireProblem(t, mb.call(t, "GET", "/api/v2/translations/ui/sw", "", nil, nil), http.StatusNotFound)

	// Audited: each change with its locale, the refusals as failed.
	res = mb.call(t, "GET", "/api/v2/audit_logs?action=system_settings:write&per=100", admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	var added, removed []any
	failed := 0
	for _, row := range res.body["data"].([]any) {
		r := row.(map[string]any)
		meta, _ := r["metadata"].(map[string]any)
		switch {
		case r["outcome"] == "failed":
			failed++
		case r["operation"] == "add-locale":
			added = append(added, meta["locale_added"])
		case r["operation"] == "remove-locale":
			removed = append(removed, meta["locale_removed"])
		}
	}
	require.ElementsMatch(t, []any{"sw", "ckb"}, added)
	require.Equal(t, []any{"sw"}, removed)
	require.GreaterOrEqual(t, failed, 5, "the 409s and 404 are audited as failed")

	// Only a holder of system_settings:write may do either.
	requireProblem(t, mb.call(t, "POST", "/api/v2/system_settings/locales", cw.token, nil, map[string]any{"locale": "so"}), http.StatusForbidden)
	requireProblem(t, mb.call(t, "DELETE", "/api/v2/system_settings/locales/ckb", cw.token, nil, nil), http.StatusForbidden)
}

// TestProblemsAreLocalisedWithStableCodes: the same refusal, in English for
// one member and in Arabic for another (their own language), carries the
// same machine codes; an anonymous caller is answered in its
// Accept-Language, else the tenant's default; an unknown language falls back
// to English.
func TestProblemsAreLocalisedWithStableCodes(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	en := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	ar := mb.memberIn(t, "ar", "ke", "role-caseworker", "agency-unicef")
	adminAr := mb.memberIn(t, "ar", "ke", "role-system-administrator", "agency-unicef")

	type detail struct{ code, location, message string }
	details := func(res response) []detail {
		var out []detail
		for _, e := range res.body["errors"].([]any) {
			m := e.(map[string]any)
			out = append(out, detail{m["code"].(string), m["location"].(string), m["message"].(string)})
		}
		return out
	}
	// A case with a value of the wrong type, a refused option, an unknown field and a missing required one.
	bad := envelope(caseData(map[string]any{"sex": "unknown_sex", "name_first": 7.0, "no_such_field": "x", "registration_date": nil}))
	resEn := mb.call(t, "POST", "/api/v2/cases", en.token, nil, bad)
	resAr := mb.call(t, "POST", "/api/v2/cases", ar.token, map[string]string{"Accept-Language": "fr"}, bad)
	requireProblem(t, resEn, http.StatusUnprocessableEntity)
	requireProblem(t, resAr, http.StatusUnprocessableEntity)
	require.Equal(t, "invalid", resEn.body["code"])
	require.Equal(t, "invalid", resAr.body["code"])
	require.Equal(t, "en", resEn.Header().Get("Content-Language"))
	require.Equal(t, "ar", resAr.Header().Get("Content-Language"), "the member's own language wins over Accept-Language")
	dEn, dAr := details(resEn), details(resAr)
	require.Len(t, dAr, len(dEn))
	codes := map[string]string{}
	for i := range dEn {
		require.Equal(t, dEn[i].code, dAr[i].code)
		require.Equal(t, dEn[i].location, dAr[i].location)
		require.NotEqual(t, dEn[i].message, dAr[i].message, "%s is translated", dEn[i].code)
		codes[dEn[i].location] = dEn[i].code
	}
	require.Equal(t, map[string]string{"body.data.sex": "not_an_option", "body.data.name_first": "type",
		"body.data.no_such_field": "unknown_field", "body.data.registration_date": "required"}, codes)
	for _, d := range dAr {
		switch d.code {
		case "type":
			require.Equal(t, "يجب أن يكون نصًا", d.message)
		case "required":
			require.Equal(t, "مطلوب", d.message)
		case "unknown_field":
			require.Equal(t, "ليس حقلًا في نماذج case للوحدة primeromodule-cp", d.message, "parameters filled in")
		}
	}

	// Not found, in Arabic, with its code.
	res := mb.call(t, "GET", "/api/v2/cases/6f1c2a3e-0000-4000-8000-0000000000ff", ar.token, nil, nil)
	requireProblem(t, res, http.StatusNotFound)
	require.Equal(t, "not_found", res.body["code"])
	require.Equal(t, "غير موجود", res.body["title"])
	require.Equal(t, "المورد غير موجود أو ليس لديك صلاحية الوصول إليه.", res.body["detail"])

	// Huma's own validation (minLength) and a conflict with parameters, in Arabic.
	res = mb.call(t, "POST", "/api/v2/system_settings/locales", adminAr.token, nil, map[string]any{"locale": "x"})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, []detail{{"min_length", "body.locale", "يجب ألا يقل الطول عن 2"}}, details(res))
	res = mb.call(t, "POST", "/api/v2/system_settings/locales", adminAr.token, nil, map[string]any{"locale": "en"})
	requireProblem(t, res, http.StatusConflict)
	require.Equal(t, "locale_present", res.body["code"])
	require.Equal(t, "en هي بالفعل إحدى لغات هذه النسخة.", res.body["detail"])

	// Anonymous callers: Accept-Language, else the tenant's default (en); unknown languages fall back to English.
	for accept, want := range map[string]string{
		"es-ES, es;q=0.9": "Recurso no encontrado o no tiene acceso a él.",
		"fr":              "Ressource introuvable, ou vous n'y avez pas accès.",
		"sw, zz;q=0.5":    "Resource not found or you do not have access to it.",
		"":                "Resource not found or you do not have access to it.",
	} {
		res := mb.call(t, "GET", "/api/v2/translations/ui/zz", "", map[string]string{"Accept-Language": accept}, nil)
		requireProblem(t, res, http.StatusNotFound)
		require.Equal(t, "not_found", res.body["code"], accept)
		require.Equal(t, want, res.body["detail"], accept)
	}
	// Authentication refusals are problems with codes too.
	res = mb.call(t, "GET", "/api/v2/cases", "", map[string]string{"Accept-Language": "fr"}, nil)
	requireProblem(t, res, http.StatusUnauthorized)
	require.Equal(t, "unauthenticated", res.body["code"])
	require.Equal(t, "Non authentifié", res.body["title"])
}

// TestConflictsLocationProblemsAndParserErrorsInArabic: through the API, an
// Arabic administrator gets a conflict with its family's code (a location
// code taken: already_exists), a single location's problem (its import code,
// worded) and a body that is not JSON (code json_syntax), each worded in
// Arabic; an English caller gets the same codes in English.
func TestConflictsLocationProblemsAndParserErrorsInArabic(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	adminAr := mb.memberIn(t, "ar", "ke", "role-system-administrator", "agency-unicef")
	adminEn := mb.member(t, "ke", "role-system-administrator", "agency-unicef")

	loc := map[string]any{"code": "ZZ1", "admin_level": 0, "name": map[string]any{"en": "Zed"}}
	res := mb.call(t, "POST", "/api/v2/locations", adminAr.token, nil, loc)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	res = mb.call(t, "POST", "/api/v2/locations", adminAr.token, nil, loc)
	requireProblem(t, res, http.StatusConflict)
	require.Equal(t, "already_exists", res.body["code"])
	require.Equal(t, "يوجد موقع بالرمز ZZ1 بالفعل.", res.body["detail"])
	res = mb.call(t, "POST", "/api/v2/locations", adminEn.token, nil, loc)
	require.Equal(t, "already_exists", res.body["code"])
	require.Equal(t, "A location with code ZZ1 already exists.", res.body["detail"])

	res = mb.call(t, "POST", "/api/v2/locations", adminAr.token, nil,
		map[string]any{"code": "ZZ2", "parent_code": "ZZ1", "admin_level": 9, "name": map[string]any{"en": "Deep"}})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	errs := res.body["errors"].([]any)
	require.Len(t, errs, 1)
	e := errs[0].(map[string]any)
	require.Equal(t, "admin_level_range", e["code"])
	require.Equal(t, "body.admin_level", e["location"])
	require.Regexp(t, `^يجب أن يكون من 0 \(البلد\) إلى \d+$`, e["message"])

	res = mb.call(t, "POST", "/api/v2/locations", adminAr.token, nil, `{"code":}`)
	requireProblem(t, res, http.StatusBadRequest)
	require.Equal(t, "bad_request", res.body["code"])
	require.Equal(t, "نص الطلب ليس JSON صالحًا.", res.body["detail"])
	e = res.body["errors"].([]any)[0].(map[string]any)
	require.Equal(t, "json_syntax", e["code"])
	require.Equal(t, "ليس JSON صالحًا: محرف غير متوقع }", e["message"])
	require.Equal(t, map[string]any{"character": "}"}, e["params"])
}
