package api

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/stretchr/testify/require"

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
		tenancy.ErrNotFound:                               "not_found",
		tenancy.ErrForbidden:                              "forbidden",
		fmt.Errorf("%w: taken", tenancy.ErrConflict):      "conflict",
		&tenancy.LocaleInUseError{Locale: "sw", Users: 2}: "locale_in_use",
		tenancy.WithCode("consent_required", nil, fmt.Errorf("%w: no consent", tenancy.ErrConflict)): "consent_required",
		&tenancy.InvalidError{Field: "x", Reason: "bad"}:                                             "invalid",
		errors.New("boom"): "internal",
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
		{tenancy.ValidateTimeZone("time_zone", "Mars/Olympus"), "invalid", []string{"time_zone"}},
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
