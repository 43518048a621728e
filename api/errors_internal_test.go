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
		{Path: "data.sex", Reason: "must be one of the options of lookup-sex", Value: "x"},
		{Path: "data.family_details_section[1].age", Reason: "must be at most 130", Value: 400},
	}})
	var se huma.StatusError
	require.True(t, errors.As(problem(err), &se))
	require.Equal(t, http.StatusUnprocessableEntity, se.GetStatus())
	em := se.(*huma.ErrorModel)
	require.Equal(t, "The case is not valid.", em.Detail)
	require.Len(t, em.Errors, 2)
	require.Equal(t, "body.data.sex", em.Errors[0].Location)
	require.Equal(t, "body.data.family_details_section[1].age", em.Errors[1].Location)
	require.Equal(t, 400, em.Errors[1].Value)
}
