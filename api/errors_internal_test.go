package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/attachments"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/storage"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestProblemListsEveryFieldOfAValidationError(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("saving: %w", &tenancy.ValidationError{Title: "The case is not valid.", Errors: []tenancy.FieldError{
		{Path: "data.sex", Reason: "is wrong in a way nobody catalogued", Value: "x"},
		{Path: "data.family_details_section[1].age", Reason: "must be at most 130", Value: 400, Code: "max_value", Params: map[string]string{"max": "130"}},
	}})
	var se huma.StatusError
	require.True(t, errors.As(problem(err), &se))
	require.Equal(t, http.StatusUnprocessableEntity, se.GetStatus())
	em := se.(*Problem)
	require.Equal(t, "The case is not valid.", em.Detail)
	require.Equal(t, "invalid", em.Code)
	require.Equal(t, "invalid", em.Errors[0].Code, "a reason without a code is invalid")
	require.Equal(t, "max_value", em.Errors[1].Code)
	require.Len(t, em.Errors, 2)
	require.Equal(t, "body.data.sex", em.Errors[0].Location)
	require.Equal(t, "body.data.family_details_section[1].age", em.Errors[1].Location)
	require.Equal(t, 400, em.Errors[1].Value)
}

func TestEveryProblemHasACode(t *testing.T) {
	t.Parallel()
	for err, want := range map[error]string{
		tenancy.ErrNotFound:                                "not_found",
		tenancy.ErrForbidden:                               "forbidden",
		fmt.Errorf("%w: taken", tenancy.ErrConflict):       "conflict",
		&settings.LocaleInUseError{Locale: "sw", Users: 2}: "locale_in_use",
		tenancy.WithCode("consent_required", nil, fmt.Errorf("%w: no consent", tenancy.ErrConflict)): "consent_required",
		&tenancy.InvalidError{Field: "x", Reason: "bad"}:                                             "invalid",
		errors.New("boom"): "internal",
		fmt.Errorf("bundle: %w", &locations.InUseError{Uses: []locations.Use{{Code: "SO11", Records: 2}}}): "location_in_use",
	} {
		var p *Problem
		require.ErrorAs(t, problem(err), &p, "%v", err)
		require.Equal(t, want, p.Code, "%v", err)
	}
	require.Equal(t, "unsupported_media_type", huma.NewError(http.StatusUnsupportedMediaType, "x").(*Problem).Code)
	require.Equal(t, "request_entity_too_large", huma.NewError(http.StatusRequestEntityTooLarge, "x").(*Problem).Code)
	p := huma.NewError(http.StatusUnprocessableEntity, "validation failed",
		&huma.ErrorDetail{Message: "expected length <= 40", Location: "body.name"}, errors.New("plain")).(*Problem)
	require.Equal(t, "max_length", p.Errors[0].Code)
	require.Equal(t, map[string]string{"max": "40"}, p.Errors[0].Params)
	require.Equal(t, "invalid", p.Errors[1].Code)
	d := problem(fmt.Errorf("%w: the child has not consented", tenancy.ErrConflict)).(*Problem).Detail
	require.Equal(t, "The child has not consented.", d)
}

// TestCallGuardAndTimeZoneProblemsAreTranslated: the problems of the call
// guard (a key's role changed mid-call, a suspended instance) and a bad
// time zone are written in French, Spanish and Arabic, with their codes.
func TestCallGuardAndTimeZoneProblemsAreTranslated(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err        error
		code       string
		errorCodes []string
	}{
		{tenancy.ErrCredentialChanged, "credential_changed", nil},
		{tenancy.ErrSuspended, "forbidden", nil},
		{settings.ValidateTimeZone("time_zone", "Mars/Olympus"), "invalid", []string{"time_zone"}},
	} {
		english := problemOf(problem(c.err))
		require.Equal(t, c.code, english.Code, "%v", c.err)
		for _, lang := range []string{"fr", "es", "ar"} {
			p := problemOf(problem(c.err))
			p.localise(lang)
			require.Equal(t, c.code, p.Code)
			require.NotEqual(t, english.Title, p.Title, "%v title in %s", c.err, lang)
			require.NotEqual(t, english.Detail, p.Detail, "%v detail in %s", c.err, lang)
			require.Len(t, p.Errors, len(c.errorCodes))
			for i, code := range c.errorCodes {
				require.Equal(t, code, p.Errors[i].Code)
				require.NotEqual(t, english.Errors[i].Message, p.Errors[i].Message, "%v message in %s", c.err, lang)
			}
		}
	}
}

// TestReasonsWithoutACodeGetTheirCatalogueCode: a reason written without a
// code (a role that does not exist, a name too long) is answered with its
// catalogue code and the values of its wording, and worded in the caller's
// language; one the catalogue lacks stays invalid and English.
func TestReasonsWithoutACodeGetTheirCatalogueCode(t *testing.T) {
	t.Parallel()
	p := problem(&tenancy.ValidationError{Title: "The role is not valid.", Errors: []tenancy.FieldError{
		{Path: "role_unique_id", Reason: "no such role", Value: "role-x"},
		{Path: "name.fr", Reason: "must be 1 to 80 characters"},
		{Path: "unique_id", Reason: "must look like role-field-officer (lower-case letters, digits, dashes)"},
		{Path: "other", Reason: "something nobody catalogued"},
	}}).(*Problem)
	require.Equal(t, []string{"unknown_reference", "length", "identifier", "invalid"},
		[]string{p.Errors[0].Code, p.Errors[1].Code, p.Errors[2].Code, p.Errors[3].Code})
	require.Nil(t, p.Errors[0].Params)
	require.Equal(t, map[string]string{"min": "1", "max": "80"}, p.Errors[1].Params)
	require.Equal(t, map[string]string{"example": "role-field-officer"}, p.Errors[2].Params)
	p.localise("fr")
	require.Equal(t, "ce rôle n'existe pas", p.Errors[0].Message)
	require.Equal(t, "doit compter de 1 à 80 caractères", p.Errors[1].Message)
	require.Equal(t, "doit ressembler à role-field-officer (lettres minuscules, chiffres, tirets)", p.Errors[2].Message)
	require.Equal(t, "something nobody catalogued", p.Errors[3].Message)

	ie := problem(&tenancy.InvalidError{In: "query", Field: "order", Reason: "must be asc or desc", Value: "up"}).(*Problem)
	require.Equal(t, "one_of", ie.Errors[0].Code)
	ie.localise("ar")
	require.Equal(t, "يجب أن يكون asc أو desc", ie.Errors[0].Message)
}

// TestConflictsRefusalsAndParserMessagesAreTranslated: the texts session 21
// closed, as the API maps them, in Arabic (and French for the terms): a 409
// of each family, a 403 of each family, a bulk assignment's per-case
// refusal, a single location's problem, the JSON decoder's messages and
// Huma's own details. Each has its family's code and its whole sentence in
// the language.
func TestConflictsRefusalsAndParserMessagesAreTranslated(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err          error
		status       int
		code, arabic string
		params       map[string]string
	}{
		{fmt.Errorf("%w: a role role-x already exists", tenancy.ErrConflict), 409, "already_exists", "يوجد دور role-x بالفعل.",
			map[string]string{"role": "role-x"}},
		{fmt.Errorf("%w: the record is disabled: enable it before changing it", tenancy.ErrConflict), 409, "record_disabled",
			"السجل معطّل: فعّله قبل تعديله.", nil},
		{fmt.Errorf("%w: the case is closed: reopen it before it can be %s", tenancy.ErrConflict, "referred"), 409, "case_status",
			"الحالة مغلقة: أعد فتحها قبل أن يمكن إحالته.", map[string]string{"action": "referred"}},
		{fmt.Errorf("%w: the %s is %s: it cannot be %s", tenancy.ErrConflict, "transfer request", "accepted", "rejected"), 409,
			"transition_state", "حالة طلب النقل: «مقبولة»؛ لا يمكن رفضها.",
			map[string]string{"transition": "transfer request", "status": "accepted", "answer": "rejected"}},
		{fmt.Errorf("%w: location SO11 has 3 child locations: move or delete them first, or disable it", tenancy.ErrConflict), 409, "in_use",
			"الموقع SO11 له 3 مواقع فرعية: انقلها أو احذفها أولًا، أو عطّله.", map[string]string{"code": "SO11", "count": "3"}},
		{fmt.Errorf("%w: location SO11 has 2 child locations: move or delete them first, or disable it", tenancy.ErrConflict), 409, "in_use",
			"الموقع SO11 له موقعان فرعيان: انقلهما أو احذفهما أولًا، أو عطّله.", map[string]string{"code": "SO11", "count": "2"}},
		{fmt.Errorf("%w: location SO11 has 12 child locations: move or delete them first, or disable it", tenancy.ErrConflict), 409, "in_use",
			"الموقع SO11 له 12 موقعًا فرعيًا: انقلها أو احذفها أولًا، أو عطّله.", map[string]string{"code": "SO11", "count": "12"}},
		{fmt.Errorf("%w: location SO11 has a child location: move or delete it first, or disable location SO11", tenancy.ErrConflict), 409, "in_use",
			"الموقع SO11 له موقع فرعي واحد: انقله أو احذفه أولًا، أو عطّل الموقع SO11.", map[string]string{"code": "SO11"}},
		{fmt.Errorf("%w: you have 5 devices keeping offline copies; revoke one in your account settings first", tenancy.ErrConflict), 409,
			"device_limit", "لديك 5 أجهزة تحتفظ بنسخ دون اتصال؛ ألغِ أحدها أولًا في إعدادات حسابك.", map[string]string{"count": "5"}},
		{fmt.Errorf("%w: this would leave the country instance without an active administrator (an enabled user whose role holds "+
			"users:write and roles:write over all records); appoint another one first", tenancy.ErrConflict), 409, "last_administrator",
			"سيترك هذا النسخة الوطنية دون مسؤول نشط (مستخدم مفعّل لدوره الصلاحيتان users:write وroles:write على جميع السجلات): عيّن مسؤولًا آخر أولًا.", nil},
		{fmt.Errorf("%w: closing this case needs an approved closure (its module requires closure approval): request the closure approval first",
			tenancy.ErrConflict), 409, "approval_required",
			"يتطلب إغلاق هذه الحالة موافقة على الإغلاق (وحدتها تشترط الموافقة على الإغلاق): اطلب الموافقة على الإغلاق أولًا.", nil},
		{&tenancy.DeniedError{Reason: "your role may assign cases only to users of your agency"}, 403, "transition_forbidden",
			"يسمح دورك بإسناد الحالات إلى مستخدمي وكالتك فقط.", nil},
		{&tenancy.DeniedError{Reason: "you may not change this user: their role reaches beyond yours (it reaches all records, more than your role's agency)"},
			403, "beyond_role", "لا يمكنك تعديل هذا (هذا المستخدم: دوره): نطاقه يتجاوز نطاقك (نطاق السجلات «جميع» أوسع من نطاق دورك «الوكالة»).",
			map[string]string{"target": "this user: their role", "scope": "all", "own_scope": "agency"}},
		// A generic conflict without a family of its own keeps code conflict (and English).
		{fmt.Errorf("%w: something new", tenancy.ErrConflict), 409, "conflict", "Something new.", nil},
	} {
		p := problemOf(problem(c.err))
		require.Equal(t, c.status, p.Status, "%v", c.err)
		require.Equal(t, c.code, p.Code, "%v", c.err)
		require.Equal(t, c.params, p.params, "%v", c.err)
		p.localise("ar")
		require.Equal(t, c.arabic, p.Detail, "%v", c.err)
		require.Equal(t, c.code, p.Code)
	}

	// A bulk assignment's per-case refusal (workflow.BulkAssign's rows).
	p := problemOf(problem(&tenancy.ValidationError{Title: "No case was assigned: some cannot be.", Errors: []tenancy.FieldError{
		{Path: "data.ids[0]", Value: "c1", Reason: "the case is disabled: it cannot be assigned"},
		{Path: "data.ids[1]", Value: "c2", Reason: "the case is closed: reopen it before it can be assigned"},
	}}))
	require.Equal(t, []string{"record_disabled", "case_status"}, []string{p.Errors[0].Code, p.Errors[1].Code})
	require.Equal(t, map[string]string{"action": "assigned"}, p.Errors[1].Params)
	p.localise("ar")
	require.Equal(t, "الحالة معطّلة: لا يمكن إسناده", p.Errors[0].Message)
	require.Equal(t, "الحالة مغلقة: أعد فتحها قبل أن يمكن إسناده", p.Errors[1].Message)
	fr := problemOf(problem(&tenancy.ValidationError{Errors: []tenancy.FieldError{{Path: "data.ids[0]", Reason: "the case is disabled: it cannot be assigned"}}}))
	fr.localise("fr")
	require.Equal(t, "le dossier est désactivé : il ne peut pas être assigné", fr.Errors[0].Message)

	// A single location's problem (the locations API): its import code, worded.
	loc := problemOf(problem(&tenancy.InvalidError{Field: "admin_level", Value: 9, Reason: "must be 0 (country) to 5",
		Code: "admin_level_range", Params: map[string]string{"max": "5"}}))
	loc.localise("ar")
	require.Equal(t, "admin_level_range", loc.Errors[0].Code)
	require.Equal(t, "يجب أن يكون من 0 (البلد) إلى 5", loc.Errors[0].Message)
	dup := problemOf(problem(&tenancy.InvalidError{Field: "code", Value: "SO1", Reason: "duplicate code: location SO1 has it too",
		Code: "duplicate_code", Params: map[string]string{"location": "SO1"}}))
	dup.localise("es")
	require.Equal(t, "código duplicado: la ubicación SO1 también lo tiene", dup.Errors[0].Message)

	// The JSON decoder's messages and Huma's own details.
	bad := huma.NewError(http.StatusBadRequest, "validation failed",
		&huma.ErrorDetail{Location: "body", Message: "invalid character '}' looking for beginning of value", Value: `{"a":}`},
		&huma.ErrorDetail{Location: "body", Message: "unexpected end of JSON input"},
		&huma.ErrorDetail{Location: "body", Message: "json: cannot unmarshal string into Go struct field .a of type int"},
		&huma.ErrorDetail{Location: "body.a", Message: "the same key appears twice in one object"},
	).(*Problem)
	require.Equal(t, []string{"json_syntax", "json_syntax", "type", "duplicate"},
		[]string{bad.Errors[0].Code, bad.Errors[1].Code, bad.Errors[2].Code, bad.Errors[3].Code})
	require.Equal(t, "is not valid JSON: unexpected character }", bad.Errors[0].Message)
	require.Equal(t, map[string]string{"character": "}"}, bad.Errors[0].Params)
	bad.localise("ar")
	require.Equal(t, "نص الطلب ليس JSON صالحًا.", bad.Detail)
	require.Equal(t, []string{"ليس JSON صالحًا: محرف غير متوقع }", "ليس JSON صالحًا: ينتهي قبل أوانه", "نوعه غير صحيح (أُعطي string)",
		"المفتاح نفسه يظهر مرتين في كائن واحد"},
		[]string{bad.Errors[0].Message, bad.Errors[1].Message, bad.Errors[2].Message, bad.Errors[3].Message})
	big := huma.NewError(http.StatusRequestEntityTooLarge, "request body is too large limit=1048576 bytes").(*Problem)
	big.localise("fr")
	require.Equal(t, "Le corps de la requête dépasse 1048576 octets.", big.Detail)
	tooLarge := problemOf(problem(&attachments.TooLargeError{Size: 6 << 20, Limit: 5 << 20, Kind: attachments.KindPhoto}))
	tooLarge.localise("fr")
	require.Equal(t, "request_entity_too_large", tooLarge.Code)
	require.Equal(t, "Le fichier est trop volumineux : il fait 6291456 octets ; les fichiers de type photo peuvent faire au plus 5242880 (5 MiB).",
		tooLarge.Detail)
	typ := problemOf(problem(&storage.TypeError{Declared: "image/png", Detected: "application/pdf", Err: storage.ErrTypeMismatch}))
	require.Equal(t, "file_type", typ.Errors[0].Code)
	typ.localise("ar")
	require.Equal(t, `لا يطابق محتوى الملف (المعلن "image/png"، والمحتوى "application/pdf")`, typ.Errors[0].Message)
	form := problemOf(unreadableForm(errors.New("multipart: NextPart: EOF")))
	form.localise("es")
	require.Equal(t, "El formulario multipart no se puede leer: está truncado o mal formado.", form.Detail)
	require.Equal(t, "multipart: NextPart: EOF", form.params["reason"], "the reader's text, only as a parameter")
	boundary := problemOf(unreadableForm(http.ErrMissingBoundary))
	boundary.localise("fr")
	require.Equal(t, "Le corps n’est pas un formulaire multipart : envoyez Content-Type: multipart/form-data avec sa limite (boundary).", boundary.Detail)
	// Session 22: the platform's tenant_state (its operation and status as
	// terms), the 499 and the idle session's plural in Arabic.
	state := problemOf(problem(&tenancy.StateError{Code: "ke", Status: tenancy.StatusDeleting, Op: "suspend"}))
	require.Equal(t, "tenant_state", state.Code)
	state.localise("fr")
	require.Equal(t, "L’instance nationale ke ne peut pas être suspendue tant qu’elle est en cours de suppression.", state.Detail)
	closed := problemOf(problem(context.Canceled))
	closed.localise("ar")
	require.Equal(t, "أغلق العميل الطلب.", closed.Detail)
	for minutes, want := range map[string]string{"1": "دقيقة واحدة", "2": "دقيقتين", "5": "5 دقائق", "30": "30 دقيقة"} {
		// As the server writes an authError (huma.WriteErr: newProblem).
		idle := newProblem(http.StatusUnauthorized, "Your session ended after "+minutes+" min without activity: sign in again.").(*Problem)
		idle.localise("ar")
		require.Equal(t, "انتهت جلستك بعد "+want+" دون نشاط: سجّل الدخول مرة أخرى.", idle.Detail, minutes)
	}
	none := huma.NewError(http.StatusBadRequest, "request body is required").(*Problem)
	none.localise("es")
	require.Equal(t, "La solicitud necesita un cuerpo.", none.Detail)
}

// TestLocationInUseIsWordedInEachLanguage: the removal of locations records
// use in Spanish and Arabic (the API test has French and Arabic through
// HTTP): one location kept ("keep it"), two (Arabic's dual), and a language
// the catalogue lacks in English.
func TestLocationInUseIsWordedInEachLanguage(t *testing.T) {
	t.Parallel()
	one := &locations.InUseError{Uses: []locations.Use{{Code: "SO11", Records: 1}}}
	two := &locations.InUseError{Uses: []locations.Use{{Code: "SO11", Records: 2}, {Code: "SO12", Records: locations.UseCountLimit, Beyond: true}}, More: 1}
	for _, tc := range []struct {
		err          *locations.InUseError
		lang, detail string
		messages     []string
	}{
		{one, "es", "Hay registros que usan la ubicación SO11 (1 registro): consérvela (desactivada) en lugar de quitarla.", []string{"usada por 1 registro"}},
		{two, "es", "Hay registros que usan las ubicaciones SO11 (2 registros), SO12 (más de 10000 registros), y 1 más: consérvelas (desactivadas) en lugar de quitarlas.",
			[]string{"usada por 2 registros", "usada por más de 10000 registros", "hay registros que usan 1 ubicación más"}},
		{one, "ar", "توجد سجلات تستخدم الموقع SO11 (سجل واحد): أبقِه (معطّلًا) بدلًا من حذفه.", []string{"مستخدم في سجل واحد"}},
		{&locations.InUseError{Uses: []locations.Use{{Code: "SO11", Records: 3}, {Code: "SO12", Records: 103}}}, "ar",
			"توجد سجلات تستخدم الموقعين SO11 (3 سجلات)، SO12 (103 سجلات): أبقِهما (معطّلين) بدلًا من حذفهما.", []string{"مستخدم في 3 سجلات", "مستخدم في 103 سجلات"}},
		{two, "ar", "توجد سجلات تستخدم المواقع SO11 (سجلان)، SO12 (أكثر من 10000 سجل)، وموقع آخر: أبقِها (معطّلة) بدلًا من حذفها.",
			[]string{"مستخدم في سجلين", "مستخدم في أكثر من 10000 سجل", "توجد سجلات تستخدم موقعًا آخر"}},
		{one, "sw", "Records use location SO11 (1 record): keep it (disabled) instead of removing it.", []string{"used by 1 record"}},
	} {
		p := problemOf(problem(tc.err))
		require.Equal(t, "location_in_use", p.Code)
		p.localise(tc.lang)
		require.Equal(t, tc.detail, p.Detail, tc.lang)
		var messages []string
		for _, d := range p.Errors {
			messages = append(messages, d.Message)
		}
		require.Equal(t, tc.messages, messages, tc.lang)
	}
}

// TestLocationFileProblemsAreWholeInArabic: the CSV reader's errors are
// worded by the server (no Go English inside the sentence).
func TestLocationFileProblemsAreWholeInArabic(t *testing.T) {
	t.Parallel()
	p := problemOf(problem(&tenancy.InvalidError{Field: "file", Reason: "not valid CSV: line 2: a quote (\") inside a field that is not in quotes"}))
	p.localise("ar")
	require.Equal(t, "file", p.Errors[0].Code)
	require.Equal(t, map[string]string{"line": "2"}, p.Errors[0].Params)
	require.Equal(t, "ملف CSV غير صالح: السطر 2: علامة اقتباس (\") داخل حقل غير محاط بعلامات اقتباس", p.Errors[0].Message)
}
