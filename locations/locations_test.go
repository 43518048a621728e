package locations_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

type testBundle struct {
	db  *testdb.DB
	p   *tenancy.Platform
	svc *locations.Service
}

// admin acts as the seeder, a named system actor with locations:write.
func admin() context.Context {
	return policy.WithSubject(context.Background(), policy.System(policy.ActorSeeder))
}

// setup provisions tenant "ke" (locales en, fr, ar).
func setup(t testing.TB) *testBundle {
	t.Helper()
	db := testdb.New(t)
	p := db.Platform(t, tenancy.Config{})
	ctx := policy.WithSubject(context.Background(), policy.System(policy.ActorProvisioner))
	for _, code := range []string{"ke"} {
		_, err := p.Create(ctx, tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en", "fr", "ar"}})
		require.NoError(t, err)
		require.NoError(t, p.Provision(ctx, code))
	}
	return &testBundle{db: db, p: p, svc: locations.New(p)}
}

func (b *testBundle) create(t testing.TB, code, parent string, level int, typ, en string) locations.Location {
	t.Helper()
	l, err := b.svc.Create(admin(), "ke", locations.Spec{Code: code, ParentCode: parent, AdminLevel: level, Type: typ,
		Name: map[string]string{"en": en}})
	require.NoError(t, err)
	return l
}

func (b *testBundle) get(t testing.TB, code string) locations.Location {
	t.Helper()
	l, err := b.svc.Get(admin(), "ke", code)
	require.NoError(t, err)
	return l
}

// hierarchy maps every location's code to its hierarchy, as stored.
func (b *testBundle) hierarchy(t testing.TB) map[string][]string {
	t.Helper()
	all, total, err := b.svc.List(admin(), "ke", locations.Filter{Per: locations.PerMax})
	require.NoError(t, err)
	require.Len(t, all, total)
	out := map[string][]string{}
	for _, l := range all {
		out[l.Code] = l.Hierarchy
	}
	return out
}

func requireInvalid(t testing.TB, err error, field string) {
	t.Helper()
	var ie *tenancy.InvalidError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, field, ie.Field, ie.Error())
}

func TestCreateGetUpdateDelete(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := admin()
	dl := b.create(t, "DL", "", 0, "country", "Demoland")
	require.Equal(t, []string{"DL"}, dl.Hierarchy)
	require.Empty(t, dl.ParentCode)
	b.create(t, "DL01", "DL", 1, "region", "North")
	b.create(t, "DL02", "DL", 1, "region", "Coast")
	d := b.create(t, "DL0101", "DL01", 2, "district", "Amara")
	require.Equal(t, []string{"DL", "DL01", "DL0101"}, d.Hierarchy)
	require.Equal(t, "DL01", d.ParentCode)
	// Levels may be skipped: a camp (level 3) directly under a region.
	b.create(t, "DL01C1", "DL01", 3, "camp", "Hilltop camp")
	b.create(t, "DL0101C2", "DL0101", 3, "camp", "Riverside camp")

	got := b.get(t, "DL0101")
	require.Equal(t, map[string]string{"en": "Amara"}, got.Name)
	require.Equal(t, 2, got.AdminLevel)
	require.Equal(t, "district", got.Type)
	_, err := b.svc.Get(ctx, "ke", "NOPE")
	require.ErrorIs(t, err, tenancy.ErrNotFound)

	t.Run("BadInputChangesNothing", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			spec  locations.Spec
			field string
		}{
			{"CodeWithDash", locations.Spec{Code: "DL-9", ParentCode: "DL", AdminLevel: 1, Name: map[string]string{"en": "X"}}, "code"},
			{"UnknownParent", locations.Spec{Code: "DL09", ParentCode: "ZZ", AdminLevel: 1, Name: map[string]string{"en": "X"}}, "parent_code"},
			{"LevelNotBelowParent", locations.Spec{Code: "DL09", ParentCode: "DL0101", AdminLevel: 2, Name: map[string]string{"en": "X"}}, "admin_level"},
			{"LevelOutOfRange", locations.Spec{Code: "DL09", ParentCode: "DL", AdminLevel: 6, Name: map[string]string{"en": "X"}}, "admin_level"},
			{"MissingName", locations.Spec{Code: "DL09", ParentCode: "DL", AdminLevel: 1}, "name"},
			{"BadLocale", locations.Spec{Code: "DL09", ParentCode: "DL", AdminLevel: 1, Name: map[string]string{"English": "X"}}, "name"},
			{"BadType", locations.Spec{Code: "DL09", ParentCode: "DL", AdminLevel: 1, Type: "Big Region", Name: map[string]string{"en": "X"}}, "type"},
		} {
			_, err := b.svc.Create(ctx, "ke", tc.spec)
			requireInvalid(t, err, tc.field)
		}
		_, err := b.svc.Create(ctx, "ke", locations.Spec{Code: "DL01", ParentCode: "DL", AdminLevel: 1, Name: map[string]string{"en": "Again"}})
		require.ErrorIs(t, err, tenancy.ErrConflict)
		// A district cannot rise to its camp's level.
		_, err = b.svc.Update(ctx, "ke", "DL0101", locations.Patch{AdminLevel: new(3)})
		requireInvalid(t, err, "admin_level")
		// Nor go under its own camp.
		_, err = b.svc.Update(ctx, "ke", "DL0101", locations.Patch{ParentCode: new("DL0101C2")})
		requireInvalid(t, err, "admin_level")
		_, err = b.svc.Update(ctx, "ke", "NOPE", locations.Patch{Disabled: new(true)})
		require.ErrorIs(t, err, tenancy.ErrNotFound)
		require.Len(t, b.hierarchy(t), 6)
		require.Equal(t, "Amara", b.get(t, "DL0101").Name["en"])
	})

	t.Run("MoveCarriesTheSubtree", func(t *testing.T) {
		before := b.get(t, "DL0101")
		moved, err := b.svc.Update(ctx, "ke", "DL0101", locations.Patch{ParentCode: new("DL02"),
			Name: map[string]string{"en": "Amara", "fr": "Amara", "ar": "أمارا"}})
		require.NoError(t, err)
		require.Equal(t, []string{"DL", "DL02", "DL0101"}, moved.Hierarchy)
		require.Equal(t, "أمارا", moved.Name["ar"])
		require.True(t, moved.UpdatedAt.After(before.UpdatedAt))
		require.Equal(t, []string{"DL", "DL02", "DL0101", "DL0101C2"}, b.get(t, "DL0101C2").Hierarchy)
		require.Equal(t, []string{"DL", "DL01", "DL01C1"}, b.get(t, "DL01C1").Hierarchy, "other branches stay")
	})

	t.Run("DisableRatherThanDelete", func(t *testing.T) {
		err := b.svc.Delete(ctx, "ke", "DL0101")
		require.ErrorIs(t, err, tenancy.ErrConflict, "it has a camp")
		l, err := b.svc.Update(ctx, "ke", "DL0101", locations.Patch{Disabled: new(true)})
		require.NoError(t, err)
		require.True(t, l.Disabled)
		require.NoError(t, b.svc.Delete(ctx, "ke", "DL0101C2"))
		_, err = b.svc.Get(ctx, "ke", "DL0101C2")
		require.ErrorIs(t, err, tenancy.ErrNotFound)
		require.ErrorIs(t, b.svc.Delete(ctx, "ke", "DL0101C2"), tenancy.ErrNotFound)
	})
}

func TestPermissionsFailClosed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.create(t, "DL", "", 0, "country", "Demoland")
	for _, s := range []policy.Subject{policy.System("test"), policy.System(policy.ActorMailer), policy.Anonymous()} {
		ctx := policy.WithSubject(context.Background(), s)
		_, _, err := b.svc.List(ctx, "ke", locations.Filter{})
		require.ErrorIs(t, err, tenancy.ErrForbidden, s.String())
		_, err = b.svc.Create(ctx, "ke", locations.Spec{Code: "X", AdminLevel: 0, Name: map[string]string{"en": "X"}})
		require.ErrorIs(t, err, tenancy.ErrForbidden, s.String())
		_, err = b.svc.StartImport(ctx, "ke", "x.csv", []byte("code,admin_level,name_en\nX,0,X\n"))
		require.ErrorIs(t, err, tenancy.ErrForbidden, s.String())
		err = b.p.Tx(ctx, "ke", func(ctx context.Context, c *tenancy.Conn) error {
			_, err := locations.Levels(ctx, c, []string{"DL"})
			return err
		})
		require.ErrorIs(t, err, tenancy.ErrForbidden, s.String())
	}
	_, _, err := b.svc.List(context.Background(), "ke", locations.Filter{})
	require.ErrorIs(t, err, policy.ErrNoActor)
	// The importer reads and writes locations, nothing else.
	imp := policy.WithSubject(context.Background(), policy.System(policy.ActorLocationImporter))
	_, _, err = b.svc.List(imp, "ke", locations.Filter{})
	require.NoError(t, err)
	_, _, err = people.New(b.p).ListUsers(imp, "ke", tenancy.Page{Page: 1, Per: 1})
	require.ErrorIs(t, err, tenancy.ErrForbidden)
}

// startWorkers runs River with every worker; it returns the completed and
// failed job events.
func startWorkers(t testing.TB, b *testBundle) <-chan *river.Event {
	t.Helper()
	client, err := jobs.NewClient(b.db.Pool, b.p, jobs.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	require.NoError(t, client.Start(context.Background()))
	t.Cleanup(func() {
		cancel()
		ctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		require.NoError(t, client.Stop(ctx))
	})
	return events
}

// waitImport waits for the import job of id to end and returns the event.
func waitImport(t testing.TB, events <-chan *river.Event, id string) *river.Event {
	t.Helper()
	timeout := time.After(2 * time.Minute)
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind == "import_locations" && strings.Contains(string(ev.Job.EncodedArgs), id) {
				return ev
			}
		case <-timeout:
			t.Fatalf("the import job of %s did not end within 2 minutes", id)
		}
	}
}
