package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// invitesPerHour limits invitations per inviting user (a stolen session must
// not become a mail cannon).
const invitesPerHour = 120

var (
	permUsersRead      = policy.Permission{Resource: "users", Action: "read"}
	permUsersReadSelf  = policy.Permission{Resource: "users", Action: "read_self"}
	permUsersWriteSelf = policy.Permission{Resource: "users", Action: "write_self"}
	permUsersWrite     = policy.Permission{Resource: "users", Action: "write"}
)

// PageParams are the paging query parameters of list operations.
type PageParams struct {
	Page int `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	Per  int `query:"per" minimum:"1" maximum:"500" default:"20" doc:"Items per page."`
}

type userOutput struct {
	Body struct {
		Data people.User `json:"data"`
	}
}

func userOut(u people.User) *userOutput {
	out := &userOutput{}
	out.Body.Data = u
	return out
}

// CurrentUser is the signed-in user's own account with what their role
// allows, so that an app shows only what they may use.
type CurrentUser struct {
	people.User
	Permissions []string          `json:"permissions" doc:"What the user's role allows in this country instance: resource:action pairs of the policy catalogue."`
	FormAccess  map[string]string `json:"form_access" doc:"The role's access to each form (unique_id to r: read, rw: read and write); a form read but not written is shown read-only. Nested forms follow their subform's form. Empty without forms:read."`
}

type currentUserOutput struct {
	Body struct {
		Data CurrentUser `json:"data"`
	}
}

type userListOutput struct {
	Body struct {
		Data     []people.User `json:"data"`
		Metadata ListMetadata  `json:"metadata"`
	}
}

type userIDPath struct {
	ID string `path:"id" format:"uuid" doc:"The user's id."`
}

type inviteUserInput struct {
	Body struct {
		Email      string   `json:"email" format:"email" maxLength:"254" doc:"The person's email address: the invitation goes there and it is their sign-in name."`
		FullName   string   `json:"full_name" minLength:"1" maxLength:"200"`
		Locale     string   `json:"locale" default:"en" pattern:"^[a-z]{2,3}(-[A-Z]{2})?$" doc:"Language of the invitation and of the user interface."`
		Role       string   `json:"role_unique_id" example:"role-caseworker"`
		Agency     string   `json:"agency_unique_id" example:"agency-unicef"`
		UserGroups []string `json:"user_group_unique_ids,omitempty" maxItems:"50"`
		TimeZone   string   `json:"time_zone,omitempty" maxLength:"64" doc:"The person's IANA time zone (Africa/Nairobi); absent or empty: the instance's default (system_settings.time_zone)." example:"Africa/Nairobi"`
	}
}

type updateCurrentUserInput struct {
	Body struct {
		FullName *string `json:"full_name,omitempty" minLength:"1" maxLength:"200" doc:"Your name as colleagues see it."`
		Locale   *string `json:"locale,omitempty" pattern:"^[a-z]{2,3}(-[A-Z]{2})?$" doc:"Your language: one of the instance's languages (GET /api/v2/system_settings)."`
		TimeZone *string `json:"time_zone,omitempty" maxLength:"64" doc:"Your IANA time zone (Africa/Nairobi); empty for the instance's default. Your daily digest goes out on your local morning." example:"Africa/Nairobi"`
	}
}

type updateUserInput struct {
	ID   string `path:"id" format:"uuid" doc:"The user's id."`
	Body struct {
		FullName   *string   `json:"full_name,omitempty" minLength:"1" maxLength:"200"`
		Locale     *string   `json:"locale,omitempty" pattern:"^[a-z]{2,3}(-[A-Z]{2})?$"`
		Role       *string   `json:"role_unique_id,omitempty"`
		Agency     *string   `json:"agency_unique_id,omitempty"`
		UserGroups *[]string `json:"user_group_unique_ids,omitempty" maxItems:"50" doc:"Replaces the user's groups."`
		Disabled   *bool     `json:"disabled,omitempty" doc:"Disable (true) or re-enable (false) the person's access to this country instance, from their next request. Other instances they belong to are not affected."`
		TimeZone   *string   `json:"time_zone,omitempty" maxLength:"64" doc:"The person's IANA time zone (Africa/Nairobi); empty for the instance's default." example:"Africa/Nairobi"`
	}
}

func registerUsers(api huma.API, s *Server) {
	tags := []string{"Users"}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-current-user", Method: http.MethodGet, Path: "/api/v2/users/me", Tags: tags, Security: memberSecurity,
		Summary: "The signed-in user's own account",
	}, permUsersReadSelf), func(ctx context.Context, _ *struct{}) (*currentUserOutput, error) {
		t, _ := tenantFrom(ctx)
		sub, err := policy.SubjectFrom(ctx)
		if err != nil {
			return nil, problem(err)
		}
		u, err := s.people.GetUser(ctx, t.Code, sub.ID)
		if err != nil {
			return nil, problem(err)
		}
		out := &currentUserOutput{}
		out.Body.Data = CurrentUser{User: u, Permissions: []string{}, FormAccess: map[string]string{}}
		switch fa, err := s.forms.FormAccess(ctx, t.Code); {
		case err == nil:
			out.Body.Data.FormAccess = fa
		case !errors.Is(err, tenancy.ErrForbidden):
			return nil, problem(err)
		}
		for _, r := range policy.Catalog {
			if r.Domain != "" {
				continue
			}
			for _, a := range r.Actions {
				perm := policy.Permission{Resource: r.Name, Action: a.Name}
				if ok, err := s.enforcer.Allowed(sub, t.Code, perm); err == nil && ok {
					out.Body.Data.Permissions = append(out.Body.Data.Permissions, perm.String())
				}
			}
		}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-current-user", Method: http.MethodPatch, Path: "/api/v2/users/me", Tags: tags, Security: memberSecurity,
		Summary: "Change your own name, language or time zone",
		Description: "The signed-in user's own account in this country instance. The email address cannot be changed here, " +
			"nor anywhere by its holder: it is the sign-in name and where invitations go, so it changes only by a new invitation.",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, permUsersWriteSelf), func(ctx context.Context, in *updateCurrentUserInput) (*userOutput, error) {
		t, _ := tenantFrom(ctx)
		if in.Body.FullName == nil && in.Body.Locale == nil && in.Body.TimeZone == nil {
			return nil, huma.Error422UnprocessableEntity("Nothing to change.", &huma.ErrorDetail{Location: "body", Message: "give full_name, locale or time_zone"})
		}
		u, err := s.people.UpdateOwnAccount(ctx, t.Code, people.OwnAccountPatch{FullName: in.Body.FullName, Locale: in.Body.Locale,
			TimeZone: in.Body.TimeZone})
		if err != nil {
			return nil, problem(err)
		}
		return userOut(u), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-users", Method: http.MethodGet, Path: "/api/v2/users", Tags: tags, Security: memberSecurity,
		Summary:     "List users",
		Description: "Only the users within the caller's scope: their own agency for agency-scoped roles, their groups for group-scoped roles.",
	}, permUsersRead), func(ctx context.Context, in *PageParams) (*userListOutput, error) {
		t, _ := tenantFrom(ctx)
		users, total, err := s.people.ListUsers(ctx, t.Code, tenancy.Page{Page: in.Page, Per: in.Per})
		if err != nil {
			return nil, problem(err)
		}
		out := &userListOutput{}
		out.Body.Data = append([]people.User{}, users...)
		out.Body.Metadata = ListMetadata{Total: total, Per: in.Per, Page: in.Page}
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-user", Method: http.MethodGet, Path: "/api/v2/users/{id}", Tags: tags, Security: memberSecurity,
		Summary: "Show a user", Errors: []int{http.StatusNotFound},
	}, permUsersRead), func(ctx context.Context, in *userIDPath) (*userOutput, error) {
		t, _ := tenantFrom(ctx)
		u, err := s.people.GetUser(ctx, t.Code, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		return userOut(u), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "invite-user", Method: http.MethodPost, Path: "/api/v2/users", Tags: tags, Security: memberSecurity,
		Summary:       "Invite a user",
		Description:   "Creates the account and emails the person, in their language, a one-time code to choose a password.",
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, permUsersWrite), func(ctx context.Context, in *inviteUserInput) (*userOutput, error) {
		if s.invitations == nil {
			return nil, huma.Error503ServiceUnavailable("Invitations need the identity service, which is not configured.")
		}
		sub, _ := policy.SubjectFrom(ctx)
		if ok, wait := s.invites.allow(sub.String()); !ok {
			return nil, huma.ErrorWithHeaders(huma.NewError(http.StatusTooManyRequests,
				fmt.Sprintf("Too many invitations: at most %d an hour. Try again later.", invitesPerHour)),
				http.Header{"Retry-After": {strconv.Itoa(int(wait.Seconds()) + 1)}})
		}
		t, _ := tenantFrom(ctx)
		u, err := s.invitations.Invite(ctx, t, people.NewUser{Email: in.Body.Email, FullName: in.Body.FullName,
			Locale: in.Body.Locale, Role: in.Body.Role, Agency: in.Body.Agency, UserGroups: in.Body.UserGroups, TimeZone: in.Body.TimeZone})
		if err != nil {
			return nil, problem(err)
		}
		return userOut(u), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-user", Method: http.MethodPatch, Path: "/api/v2/users/{id}", Tags: tags, Security: memberSecurity,
		Summary: "Change a user",
		Description: "Nobody changes a user whose role reaches beyond their own (403), and a country instance keeps at least one " +
			"active administrator (409).",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, permUsersWrite), func(ctx context.Context, in *updateUserInput) (*userOutput, error) {
		t, _ := tenantFrom(ctx)
		b := in.Body
		if b.FullName == nil && b.Locale == nil && b.Role == nil && b.Agency == nil && b.UserGroups == nil && b.Disabled == nil &&
			b.TimeZone == nil {
			return nil, huma.Error422UnprocessableEntity("Nothing to change.", &huma.ErrorDetail{Location: "body", Message: "give at least one field"})
		}
		sub, _ := policy.SubjectFrom(ctx)
		if sub.ID == in.ID && ((b.Disabled != nil && *b.Disabled) || b.Role != nil) {
			return nil, huma.Error422UnprocessableEntity("You cannot disable your own account or change your own role.",
				&huma.ErrorDetail{Location: "body", Message: "ask another administrator"})
		}
		// Disabling takes effect at the person's next request here (membership
		// is read on every request). Their Kratos sessions are global and stay:
		// other country instances they belong to are not this one's to end.
		u, err := s.people.UpdateUser(ctx, t.Code, in.ID, people.UserPatch{FullName: b.FullName, Locale: b.Locale,
			Role: b.Role, Agency: b.Agency, UserGroups: b.UserGroups, Disabled: b.Disabled, TimeZone: b.TimeZone})
		if err != nil {
			return nil, problem(err)
		}
		return userOut(u), nil
	})
}
