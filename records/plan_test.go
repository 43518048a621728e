package records_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/demo"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType     string     `json:"Node Type"`
	RelationName string     `json:"Relation Name"`
	IndexName    string     `json:"Index Name"`
	IndexCond    string     `json:"Index Cond"`
	Filter       string     `json:"Filter"`
	Strategy     string     `json:"Strategy"`
	GroupKey     []string   `json:"Group Key"`
	HeapFetches  *int       `json:"Heap Fetches"`
	HeapBlocks   *int       `json:"Exact Heap Blocks"`
	SharedHit    int        `json:"Shared Hit Blocks"`
	SharedRead   int        `json:"Shared Read Blocks"`
	ActualRows   *float64   `json:"Actual Rows"`
	ActualLoops  *float64   `json:"Actual Loops"`
	SubplanName  string     `json:"Subplan Name"`
	SortKey      []string   `json:"Sort Key"`
	Plans        []planNode `json:"Plans"`
}

func ids(rs []records.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func (n planNode) walk(f func(planNode)) {
	f(n)
	for _, c := range n.Plans {
		c.walk(f)
	}
}

// TestListQueryPlans seeds 11,000 records (demo.Seed: 10,000 cases and
// 1,000 tracing requests over 125 places) and checks, with EXPLAIN, that the
// statements of the main lists and searches reach records through the
// indexes made for them and never read the whole table. The statements are
// the ones List runs (captured), as a caller who sees every record (the
// visibility predicate of narrower scopes starts from record_access).
func TestListQueryPlans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A role that reads every form; its user, below, sees every record.
	tt := newRecordsTenant(t, "role-reader", []string{"cases:read"}, "6f1c1f5e-3f6b-4b0e-9a55-0000000000aa")
	p, su := tt.p, tt.su
	sys := policy.WithSubject(ctx, policy.System("test"))
	seeder := policy.WithSubject(ctx, policy.System(policy.ActorSeeder))
	_, err := locations.New(p).Upsert(seeder, "ke", demo.Places("KE", 4, 5, 5))
	require.NoError(t, err)
	rs := records.New(p, records.Config{Schemas: records.FormsSchemas(forms.New(p, forms.Config{Locations: locations.New(p)}))})
	pr, err := demo.Seed(ctx, p, rs, "ke", demo.Options{Cases: 10_000})
	require.NoError(t, err)
	require.Equal(t, 11_000, pr.Written)
	again, err := demo.Seed(ctx, p, rs, "ke", demo.Options{Cases: 10_000})
	require.NoError(t, err)
	require.Zero(t, again.Written, "a seed run again writes nothing")
	// Configured filterable fields with typed values (docs/records.md,
	// Session 22): a number and a date field made filterable, and values
	// for three cases in four (numbers) and four in five (dates), written
	// with plain SQL to data and filters (the side table follows filters).
	_, err = su.Exec(ctx, `update tenant_ke.forms set definition = jsonb_set(definition, '{fields}', (select jsonb_agg(
			case when f->>'name' in ('household_children', 'consent_date') then f || '{"filterable": true}' else f end order by i)
		from jsonb_array_elements(definition->'fields') with ordinality x(f, i)))
		where unique_id in ('family_details', 'consent')`)
	require.NoError(t, err)
	_, err = su.Exec(ctx, "update tenant_ke.configuration set version = version + 1")
	require.NoError(t, err)
	_, err = su.Exec(ctx, `update tenant_ke.records r set data = r.data || v.j, filters = r.filters || v.j
		from (select id, jsonb_strip_nulls(jsonb_build_object(
				'household_children', case when abs(hashtext(id::text)) % 4 <> 0 then abs(hashtext(id::text || 'n')) % 12 end,
				'consent_date', case when abs(hashtext(id::text)) % 5 <> 0 then to_char(date '2024-01-01' + abs(hashtext(id::text || 'd')) % 700, 'YYYY-MM-DD') end)) j
			from tenant_ke.records where record_type = 'case') v
		where r.id = v.id`)
	require.NoError(t, err)
	// Index-only scans need all-visible pages. A vacuum cannot mark a page
	// all-visible while an older transaction runs (another test's, on this
	// shared server), so vacuum again until every page is marked.
	for _, table := range []string{"tenant_ke.records", "tenant_ke.record_access", "tenant_ke.record_name_keys", "tenant_ke.record_scope",
		"tenant_ke.record_field_values"} {
		deadline := time.Now().Add(2 * time.Minute)
		for {
			_, err = su.Exec(ctx, "vacuum analyze "+table)
			require.NoError(t, err)
			var done bool
			require.NoError(t, su.QueryRow(ctx, "select relallvisible >= relpages from pg_class where oid = $1::regclass", table).Scan(&done))
			if done {
				break
			}
			require.True(t, time.Now().Before(deadline), "%s: vacuum did not mark every page all-visible", table)
			time.Sleep(200 * time.Millisecond)
		}
	}

	reader := tt.user
	var unhcrID string // an ID field of the configuration, found by ID search
	require.NoError(t, su.QueryRow(ctx, "select data->>'unhcr_id_no' from tenant_ke.records where data ? 'unhcr_id_no' limit 1").Scan(&unhcrID))
	// A caller with the agency scope: the agency of a seed owner, and a
	// short id of a case that owner's agency holds.
	var agencyID, agencyShortID string
	require.NoError(t, su.QueryRow(ctx, `select u.agency_id::text, r.short_id from tenant_ke.records r
		join tenant_ke.record_access a on a.record_id = r.id and a.kind = 'owner' join tenant_ke.users u on u.id = a.user_id
		where r.record_type = 'case' and r.enabled order by r.short_id limit 1`).Scan(&agencyID, &agencyShortID))
	agencyReader := policy.WithSubject(ctx, policy.Subject{Kind: policy.KindUser, ID: "6f1c1f5e-3f6b-4b0e-9a55-0000000000ab",
		Roles: []string{"role-reader"}, Scope: policy.ScopeAgency, Agency: agencyID})
	var mu sync.Mutex
	var captured []string
	var capturedArgs [][]any
	records.CaptureListSQL(func(sql string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		captured, capturedArgs = append(captured, sql), append(capturedArgs, slices.Clone(args))
	})
	defer records.CaptureListSQL(nil)

	for _, tc := range []struct {
		name  string
		p     records.ListParams
		index string // an index the plan must use
		// indexOnly: the records matching are read from the index only
		// (count and page ids), never from the table.
		indexOnly bool
		// keyedCount: the exact count is an index-only scan of the name keys'
		// side table (record_name_keys_key_idx), equal to the count read
		// from records.
		keyedCount bool
		// caller is reader (scope all) unless set; notIndex an index the
		// plan must not use.
		caller   context.Context
		notIndex string
		// ranked: the matches are ranked from their key rows (their
		// record_keys, read with the matches: session 22), and only the
		// page's rows of records are read.
		ranked bool
		// byOwner: the keyed count keeps the key rows whose owner_id is in
		// the scope and reads no scope's access rows (only the caller's
		// own, and the few other rows by record_access_shared_idx).
		byOwner bool
		// literalScope: the scope's users are written into the statement
		// as a constant array (read before it), not a subquery.
		literalScope bool
		// scoped: the count and the page's ids read record_scope (the
		// scope side table) by its owners, never records nor the scope's
		// access rows.
		scoped bool
		// byID bounds the rows of records read by primary key (20, a page,
		// when 0).
		byID float64
	}{
		{name: "FilteredList", p: records.ListParams{Search: records.Search{Filters: map[string][]string{
			"location_current": {"KER01D01"}, "status": {"open"}, "age": {"5..10"}}}}, index: "records_location_status_covering_idx", indexOnly: true},
		// The agency scope on the scope side table: each of the scope's
		// owners a range of record_scope_owner_idx (bounded by place,
		// status and date of birth), not a hash of the scope's access rows.
		// Session 22: with a place, the place's ranges of
		// record_scope_place_idx, the owner a hashed probe of the scope's
		// users.
		{name: "FilteredListAgency", p: records.ListParams{Search: records.Search{Filters: map[string][]string{
			"location_current": {"KER01D01"}, "status": {"open"}, "age": {"5..10"}}}}, index: "record_scope_place_idx", indexOnly: true,
			caller: agencyReader, notIndex: "record_access_user_idx", scoped: true},
		// Without a place, the scope's owners bound the scan.
		{name: "StatusListAgency", p: records.ListParams{Search: records.Search{Filters: map[string][]string{
			"status": {"open"}, "age": {"5..10"}}}}, index: "record_scope_owner_idx", indexOnly: true,
			caller: agencyReader, notIndex: "record_access_user_idx", scoped: true},
		{name: "Region", p: records.ListParams{Search: records.Search{Filters: map[string][]string{
			"location_current": {"KER02"}, "status": {"open"}}}}, index: "records_location_status_covering_idx", indexOnly: true},
		// Ranked (below the bound): the matches' ids from the name keys, ranked
		// by their key rows; the page's rows by primary key (only theirs).
		{name: "Phonetic", p: records.ListParams{Search: records.Search{Query: "Mohamed Hassan", Phonetic: true}}, index: "records_pkey",
			keyedCount: true, ranked: true},
		// Above the bounds of ranking by similarity and of pages from the
		// key rows, the page walks the updated_at index (the count stays
		// exact).
		{name: "PhoneticBeyondRanking", p: records.ListParams{Search: records.Search{Query: "Hassan", Phonetic: true}}, index: "records_type_updated_idx",
			keyedCount: true},
		// The agency scope on the key rows: their owner among the agency's
		// users (owner_id), never a hash of the scope's access rows.
		{name: "PhoneticAgency", p: records.ListParams{Search: records.Search{Query: "Hassan", Phonetic: true}}, index: "record_name_keys_key_idx",
			keyedCount: true, caller: agencyReader, ranked: true, byOwner: true, literalScope: true},
		{name: "FreeText", p: records.ListParams{Search: records.Search{Query: "kariuki"}}, index: "records_name_trgm_idx"},
		{name: "IDSearch", p: records.ListParams{Search: records.Search{Query: strings.ToLower(unhcrID), IDSearch: true}}, index: "records_id_values_idx"},
		// The visibility of the agency scope probes the record found (its
		// record_access rows by record id), never the whole scope: the
		// scope's users are a constant array (the planner sees its size).
		{name: "IDSearchAgency", p: records.ListParams{Search: records.Search{Query: strings.ToUpper(agencyShortID), IDSearch: true}},
			index: "record_access_row_idx", caller: agencyReader, notIndex: "record_access_user_idx", literalScope: true},
		{name: "RegistrationRange", p: records.ListParams{Search: records.Search{Filters: map[string][]string{
			"registration_date": {"2026-01-01..2026-01-07"}}}}, index: "records_type_registration_idx"},
		// Ranges and sorts on configured fields read their typed values
		// (record_field_values), never records.filters of every record.
		{name: "ConfiguredNumberRange", p: records.ListParams{Search: records.Search{Filters: map[string][]string{
			"household_children": {"3..4"}}}}, index: "record_field_values_num_idx", byID: -1},
		{name: "ConfiguredDateRange", p: records.ListParams{Search: records.Search{Filters: map[string][]string{
			"consent_date": {"2024-03-01..2024-03-20"}}}}, index: "record_field_values_day_idx", byID: -1},
		// A sort walks the values' index and stops after the page: the
		// walk's rows (about a page) and the page's rows by id.
		{name: "ConfiguredNumberSort", p: records.ListParams{OrderBy: "household_children", Order: "asc"},
			index: "record_field_values_num_idx", byID: 45},
		{name: "ConfiguredDateSort", p: records.ListParams{OrderBy: "consent_date", Order: "desc",
			Search: records.Search{Filters: map[string][]string{"status": {"open"}}}}, index: "record_field_values_day_idx", byID: 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			caller := reader
			if tc.caller != nil {
				caller = tc.caller
			}
			mu.Lock()
			captured, capturedArgs = nil, nil
			mu.Unlock()
			var ranked records.ListResult
			if tc.name == "PhoneticBeyondRanking" {
				ranked, err = rs.List(caller, "ke", records.TypeCase, tc.p)
				require.NoError(t, err)
				defer records.SetRankCandidates(10, 10)()
				mu.Lock()
				captured, capturedArgs = nil, nil
				mu.Unlock()
			}
			res, err := rs.List(caller, "ke", records.TypeCase, tc.p)
			require.NoError(t, err)
			if tc.keyedCount {
				// A condition the side table lacks: the count reads records.
				generic := tc.p
				generic.UpdatedSince = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
				mu.Lock()
				n := len(captured)
				mu.Unlock()
				byRecords, err := rs.List(caller, "ke", records.TypeCase, generic)
				require.NoError(t, err)
				require.Equal(t, byRecords.Total, res.Total, "the count of the name keys is the count of the records")
				mu.Lock()
				require.NotContains(t, captured[len(captured)-1], "record_name_keys")
				captured, capturedArgs = captured[:n], capturedArgs[:n]
				mu.Unlock()
			}
			if tc.name == "PhoneticBeyondRanking" {
				require.Greater(t, ranked.Total, 10)
				require.Equal(t, ranked.Total, res.Total, "the same matches, counted exactly")
				require.Len(t, res.Records, 20)
				// Between the bounds: the page by recency from the matches'
				// key rows (their updated_at), the same page as the walk's.
				restore := records.SetRankCandidates(10, res.Total)
				byKeys, err := rs.List(caller, "ke", records.TypeCase, tc.p)
				restore()
				require.NoError(t, err)
				require.Equal(t, res.Total, byKeys.Total)
				require.ElementsMatch(t, ids(res.Records), ids(byKeys.Records), "the page of the most recently updated")
				// The matches and their updated_at in one statement, then the
				// page's rows by id (ordered as listed), no ranking statement.
				mu.Lock()
				got := slices.Clone(captured[max(0, len(captured)-2):])
				captured, capturedArgs = captured[:len(captured)-len(got)], capturedArgs[:len(capturedArgs)-len(got)]
				mu.Unlock()
				require.Len(t, got, 2)
				require.True(t, strings.HasPrefix(got[0], "select m.id::text, m.updated_at, m.keys from ("), got[0])
				require.Contains(t, got[1], "with ordinality u(id, o)) page join records r")
			}
			// One statement; a phonetic search counted from its key rows
			// reads its matches first (the count, once, with their keys'
			// number for the ranking), then the page.
			want := 1
			if tc.keyedCount {
				want++
			}
			mu.Lock()
			statements, statementArgs := slices.Clone(captured), slices.Clone(capturedArgs)
			mu.Unlock()
			if tc.name == "PhoneticBeyondRanking" {
				// The walk of updated_at is planned for the search's keys each
				// time (an unnamed statement): a cached generic plan takes a
				// common key for a rare one and sorts every match (Session 23).
				last := statementArgs[len(statementArgs)-1]
				require.NotEmpty(t, last)
				require.Equal(t, pgx.QueryExecModeDescribeExec, last[0], "the page's walk is planned with its values")
			}
			require.Len(t, statements, want, "%q", statements)
			var used []string
			keyed := false
			perRecord := 0.0 // rows read by primary key: the page's records, at most a page
			for i, sql := range statements {
				args := statementArgs[i]
				matches := tc.keyedCount && i == 0 // the matches from the key rows
				var plan []struct {
					Plan planNode `json:"Plan"`
				}
				var text string
				err = p.Tx(sys, "ke", func(ctx context.Context, c *tenancy.Conn) error {
					var j []byte
					if err := c.QueryRow(ctx, "explain (analyze, buffers, format json) "+sql, args...).Scan(&j); err != nil {
						return err
					}
					rows, err := c.Query(ctx, "explain "+sql, args...)
					if err != nil {
						return err
					}
					lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
					text = strings.Join(lines, "\n")
					if err != nil {
						return err
					}
					return json.Unmarshal(j, &plan)
				})
				require.NoError(t, err)
				if matches && tc.ranked {
					require.Equal(t, float64(res.Total), *plan[0].Plan.ActualRows, "the matches, each once:\n%s", text)
				}
				if matches {
					// One word's key rows, read once; the other words are
					// checked on the same entries (record_keys), never by
					// reading their own key rows (session 22).
					// A scoped caller's matches are two branches (session 23): the
					// key rows of the scope's owners (owner_id an index condition)
					// and the records reached through another access row, by id.
					scans, byOwner := 0, 0
					plan[0].Plan.walk(func(n planNode) {
						if n.IndexName == "record_name_keys_key_idx" {
							scans++
							if strings.Contains(n.IndexCond, "owner_id = ANY") {
								byOwner++
							}
							if strings.Contains(strings.TrimSpace(tc.p.Query), " ") {
								require.Contains(t, n.Filter, "record_keys &&", "the other words on the same entry:\n%s", text)
							}
						}
						if !tc.byOwner {
							require.NotEqual(t, "record_name_keys_record_idx", n.IndexName, "%s", text)
						}
					})
					if tc.byOwner {
						require.Equal(t, 1, byOwner, "the scope's owners bound one scan of the key rows:\n%s", text)
					} else {
						require.Equal(t, 1, scans, "the key rows of one word:\n%s", text)
					}
				}
				root := true // the statement's top node (the matches: all of it)
				plan[0].Plan.walk(func(n planNode) {
					defer func() { root = false }()
					require.False(t, n.NodeType == "Seq Scan" && n.RelationName == "records", "a sequential scan of records:\n%s", text)
					if n.IndexName != "" {
						used = append(used, n.IndexName)
					}
					require.False(t, tc.notIndex != "" && n.IndexName == tc.notIndex, "%s is used:\n%s", tc.notIndex, text)
					if n.SubplanName == "CTE total" && tc.name == "FilteredList" {
						// The age filter's alternatives are counted apart, each a
						// range of the index bounded by the date of birth (in a
						// range, or null), not a filter on every entry of the places.
						scans := 0
						n.walk(func(c planNode) {
							if c.IndexName == tc.index {
								scans++
								require.Contains(t, c.IndexCond, "date_of_birth", "the scan is bounded by the date of birth:\n%s", text)
							}
						})
						require.Equal(t, 2, scans, "one scan per alternative:\n%s", text)
					}
					if (n.SubplanName == "CTE total" && tc.keyedCount) || (matches && root) {
						// The exact count reads the side table's index (an
						// index-only scan where the planner finds it cheaper
						// than a bitmap of the side table), never records; the
						// scope's access rows from an index only too, and a word
						// with one key needs no duplicate removal.
						n.walk(func(c planNode) {
							require.NotEqual(t, "records", c.RelationName, "the count reads records:\n%s", text)
							if c.RelationName == "record_access" {
								require.Equal(t, "Index Only Scan", c.NodeType, "the scope's rows from the index:\n%s", text)
							}
							// (A scoped caller's second branch gathers its few shared
							// access rows' record ids, hashed: not the matches.)
							require.False(t, c.NodeType == "Unique" || c.NodeType == "SetOp" ||
								(c.NodeType == "Aggregate" && c.Strategy == "Hashed" && !(tc.byOwner && slices.Equal(c.GroupKey, []string{"a.record_id"}))),
								"no duplicate removal:\n%s", text)
							if c.IndexName == "record_name_keys_key_idx" {
								keyed = true
							}
							if tc.byOwner && c.IndexName == "record_access_user_idx" {
								require.NotContains(t, c.IndexCond, "ANY", "the scope's access rows are read:\n%s", text)
							}
							if c.IndexName == "record_name_keys_key_idx" && c.NodeType == "Index Only Scan" {
								require.NotNil(t, c.HeapFetches)
								require.Zero(t, *c.HeapFetches, "the index alone counts (after vacuum):\n%s", text)
							}
						})
					}
					if tc.scoped && (n.SubplanName == "CTE m" || n.SubplanName == "CTE total" || n.NodeType == "Limit") {
						n.walk(func(c planNode) {
							require.NotEqual(t, "records", c.RelationName, "the count and the page's ids read records:\n%s", text)
							switch {
							case c.IndexName == tc.index && c.IndexName == "record_scope_owner_idx":
								require.Contains(t, c.IndexCond, "owner_id", "the scan is bounded by the scope's owners:\n%s", text)
							case c.IndexName == tc.index:
								// The place, status and date of birth bound it; the
								// owner is one hash probe an entry.
								require.Contains(t, c.IndexCond, "location_current", "the scan is bounded by the place:\n%s", text)
								require.Contains(t, c.IndexCond, "date_of_birth", "%s", text)
								require.NotContains(t, c.IndexCond, "owner_id", "%s", text)
								require.Contains(t, c.Filter, "hashed SubPlan", "the owner a hashed probe of the scope's users:\n%s", text)
							case tc.index == "record_scope_place_idx":
								require.NotEqual(t, "record_scope_owner_idx", c.IndexName, "a place's list descends per owner:\n%s", text)
							}
						})
					}
					if tc.literalScope && n.IndexName == "record_access_row_idx" && strings.Contains(n.IndexCond+n.Filter, "user_id") {
						require.Contains(t, n.IndexCond+n.Filter, "user_id = ANY ('{", "the scope's users as a constant:\n%s", text)
					}
					if n.IndexName == tc.index && tc.indexOnly && n.NodeType != "Bitmap Index Scan" {
						require.Equal(t, "Index Only Scan", n.NodeType, "%s", text)
						require.NotNil(t, n.HeapFetches)
						require.Zero(t, *n.HeapFetches, "the index alone answers (after vacuum):\n%s", text)
					}
					// A count through a bitmap of the index needs no table page.
					if tc.indexOnly && n.NodeType == "Bitmap Heap Scan" && len(n.Plans) == 1 && n.Plans[0].IndexName == tc.index {
						// Pages the bitmap points to are counted whether read
						// or skipped: the buffers tell (the visibility map's few).
						require.NotNil(t, n.HeapBlocks)
						read := n.SharedHit + n.SharedRead - n.Plans[0].SharedHit - n.Plans[0].SharedRead
						require.Less(t, read, 10, "the count reads no table page (after vacuum; %d pages matched):\n%s", *n.HeapBlocks, text)
					}
					if n.IndexName == "records_pkey" && n.ActualLoops != nil {
						perRecord += *n.ActualLoops
					}
				})
				if tc.scoped {
					// Count and page from one read of the scope's entries
					// (the CTE m): each branch (the visibility's two
					// alternatives times the age filter's two) scans
					// record_scope once, not once for the count and again
					// for the page.
					scans := 0
					plan[0].Plan.walk(func(n planNode) {
						if n.RelationName == "record_scope" {
							scans++
						}
					})
					require.Equal(t, 4, scans, "record_scope scanned once per branch:\n%s", text)
				}
				if caller == agencyReader {
					require.Equal(t, tc.literalScope, !strings.Contains(sql, "principals p where p.agency_id"), "the scope as a constant array:\n%s", sql)
				}
				t.Log(tc.name, "statement", i, "plan:\n"+text)
			}
			// The page's rows (and their owners) are read for the page only,
			// not for every record matching.
			switch {
			case tc.byID == 0:
				require.LessOrEqual(t, perRecord, 20.0, "rows read by id")
			case tc.byID > 0:
				require.LessOrEqual(t, perRecord, tc.byID, "rows read by id")
			}
			require.Contains(t, used, tc.index, "indexes used: %s (total %d)", strings.Join(used, ", "), res.Total)
			require.Equal(t, tc.keyedCount, keyed, "the count by record_name_keys_key_idx")
			require.NotZero(t, res.Total, "the search finds records")
			t.Log(tc.name, "total", res.Total, "indexes", fmt.Sprint(used))
		})
	}

	// The seed's ages: a tenth of the cases without a date of birth, and a
	// third of the others estimated (1 January, ticked "estimated").
	t.Run("SeedEstimatedAges", func(t *testing.T) {
		var cases, undated, estimated, notJanuary int
		require.NoError(t, su.QueryRow(ctx, `select count(*), count(*) filter (where date_of_birth is null),
				count(*) filter (where data->'estimated' = 'true'),
				count(*) filter (where data->'estimated' = 'true' and to_char(date_of_birth, 'MM-DD') <> '01-01')
			from tenant_ke.records where record_type = 'case'`).Scan(&cases, &undated, &estimated, &notJanuary))
		require.InDelta(t, 0.1, float64(undated)/float64(cases), 0.02, "a tenth without a date of birth")
		require.InDelta(t, 1.0/3, float64(estimated)/float64(cases-undated), 0.03, "a third of the dates estimated")
		require.Zero(t, notJanuary, "estimated dates are 1 January")
	})

	// The age filter's alternatives (a date of birth in the range, or none
	// and the age entered in it) are paged apart and merged: every page, in
	// every order, is the page of the whole list.
	t.Run("AgeAlternativesPages", func(t *testing.T) {
		// The seed leaves a tenth of the cases without a date of birth: give
		// them the age entered (as a caseworker would).
		_, err := su.Exec(ctx, `update tenant_ke.records set age = abs(hashtext(id::text)) % 18
			where record_type = 'case' and date_of_birth is null`)
		require.NoError(t, err)
		var fromEntered int
		require.NoError(t, su.QueryRow(ctx, `select count(*) from tenant_ke.records
			where record_type = 'case' and enabled and date_of_birth is null and age between 3 and 6`).Scan(&fromEntered))
		require.NotZero(t, fromEntered, "ages entered without a date of birth")
		for _, o := range []struct{ by, col, dir string }{{"", "updated_at", "desc"}, {"age", "age", "asc"}, {"date_of_birth", "date_of_birth", "desc"}} {
			rows, err := su.Query(ctx, `select id::text from tenant_ke.records r where record_type = 'case' and enabled
				and ((date_of_birth > (current_date - interval '7 years')::date and date_of_birth <= (current_date - interval '3 years')::date)
					or (date_of_birth is null and age between 3 and 6))
				order by `+o.col+" "+o.dir+" nulls last, id "+o.dir)
			require.NoError(t, err)
			want, err := pgx.CollectRows(rows, pgx.RowTo[string])
			require.NoError(t, err)
			var got []string
			for page := 1; ; page++ {
				res, err := rs.List(reader, "ke", records.TypeCase, records.ListParams{Page: page, Per: 250, OrderBy: o.by, Order: o.dir,
					Search: records.Search{Filters: map[string][]string{"age": {"3..6"}}}})
				require.NoError(t, err)
				require.Equal(t, len(want), res.Total, "order %s", o.col)
				if len(res.Records) == 0 {
					break
				}
				for _, r := range res.Records {
					got = append(got, r.ID)
				}
			}
			require.Equal(t, want, got, "order %s", o.col)
		}
		// Several ranges: the alternatives of each kind together.
		res, err := rs.List(reader, "ke", records.TypeCase, records.ListParams{Per: 1,
			Search: records.Search{Filters: map[string][]string{"age": {"3..4", "5..6"}}}})
		require.NoError(t, err)
		whole, err := rs.List(reader, "ke", records.TypeCase, records.ListParams{Per: 1,
			Search: records.Search{Filters: map[string][]string{"age": {"3..6"}}}})
		require.NoError(t, err)
		require.Equal(t, whole.Total, res.Total)
		require.Equal(t, whole.Records[0].ID, res.Records[0].ID)
	})

	// Ranges and sorts on configured fields (record_field_values): every
	// page, in both orders, with records without a value last, is the page
	// of the same list read with one plain SQL statement from data; totals
	// of ranges are the counts read from data; and the side table follows
	// writes of filters (a value changed, removed, a record disabled).
	t.Run("ConfiguredValuesPages", func(t *testing.T) {
		plain := func(where, order string) []string {
			t.Helper()
			rows, err := su.Query(ctx, `select id::text from tenant_ke.records r where record_type = 'case' and enabled and (`+where+`)
				order by `+order)
			require.NoError(t, err)
			out, err := pgx.CollectRows(rows, pgx.RowTo[string])
			require.NoError(t, err)
			return out
		}
		all := func(lp records.ListParams) []string {
			t.Helper()
			var got []string
			for page := 1; ; page++ {
				lp.Page, lp.Per = page, 700
				res, err := rs.List(reader, "ke", records.TypeCase, lp)
				require.NoError(t, err)
				if len(res.Records) == 0 {
					return got
				}
				got = append(got, ids(res.Records)...)
			}
		}
		for _, o := range []struct{ by, expr, dir, where string }{
			{"household_children", "(data->>'household_children')::numeric", "asc", "true"},
			{"household_children", "(data->>'household_children')::numeric", "desc", "true"},
			{"consent_date", "(data->>'consent_date')::date", "desc", "status = 'open'"},
			{"consent_date", "(data->>'consent_date')::date", "asc", "status = 'open'"},
		} {
			var filters map[string][]string
			if o.where != "true" {
				filters = map[string][]string{"status": {"open"}}
			}
			want := plain(o.where, o.expr+" "+o.dir+" nulls last, id "+o.dir)
			got := all(records.ListParams{OrderBy: o.by, Order: o.dir, Search: records.Search{Filters: filters}})
			require.Equal(t, want, got, "order_by %s %s", o.by, o.dir)
		}
		for _, r := range []struct {
			filter []string
			where  string
		}{
			{[]string{"3..4"}, "(data->>'household_children')::numeric between 3 and 4"},
			{[]string{"..1", "10.."}, "(data->>'household_children')::numeric <= 1 or (data->>'household_children')::numeric >= 10"},
			{[]string{"2"}, "(data->>'household_children')::numeric = 2"},
		} {
			want := plain(r.where, "updated_at desc, id desc")
			got := all(records.ListParams{Search: records.Search{Filters: map[string][]string{"household_children": r.filter}}})
			require.NotEmpty(t, want)
			require.Equal(t, want, got, "household_children=%v", r.filter)
		}
		want := plain("(data->>'consent_date')::date between '2024-02-01' and '2024-02-29'", "updated_at desc, id desc")
		got := all(records.ListParams{Search: records.Search{Filters: map[string][]string{"consent_date": {"2024-02-01..2024-02-29"}}}})
		require.NotEmpty(t, want)
		require.Equal(t, want, got)

		// Writes with plain SQL: a value moved out of the range, one removed,
		// a record disabled; the list follows at once.
		first, err := rs.List(reader, "ke", records.TypeCase, records.ListParams{Per: 3,
			Search: records.Search{Filters: map[string][]string{"household_children": {"3..4"}}}})
		require.NoError(t, err)
		require.Len(t, first.Records, 3)
		moved, removed, disabled := first.Records[0].ID, first.Records[1].ID, first.Records[2].ID
		_, err = su.Exec(ctx, `update tenant_ke.records set filters = filters || '{"household_children": 40}' where id = $1`, moved)
		require.NoError(t, err)
		_, err = su.Exec(ctx, `update tenant_ke.records set filters = filters - 'household_children' where id = $1`, removed)
		require.NoError(t, err)
		_, err = su.Exec(ctx, `update tenant_ke.records set enabled = false where id = $1`, disabled)
		require.NoError(t, err)
		after, err := rs.List(reader, "ke", records.TypeCase, records.ListParams{Per: 3,
			Search: records.Search{Filters: map[string][]string{"household_children": {"3..4"}}}})
		require.NoError(t, err)
		require.Equal(t, first.Total-3, after.Total)
		require.NotContains(t, ids(after.Records), moved)
		top, err := rs.List(reader, "ke", records.TypeCase, records.ListParams{Per: 1, OrderBy: "household_children", Order: "desc"})
		require.NoError(t, err)
		require.Equal(t, moved, top.Records[0].ID, "the largest value first")
		var stale int
		require.NoError(t, su.QueryRow(ctx, `select count(*) from tenant_ke.records r full join tenant_ke.record_field_values v
				on v.id = r.id and v.field = 'household_children'
			where r.record_type = 'case' and (v.num is distinct from (r.filters->>'household_children')::numeric)`).Scan(&stale))
		require.Zero(t, stale, "the side table equals filters")
		_, err = su.Exec(ctx, `update tenant_ke.records set filters = filters || jsonb_build_object('household_children', (data->>'household_children')::numeric),
			enabled = true where id = any($1::uuid[])`, []string{moved, removed, disabled})
		require.NoError(t, err)
	})

	// Triggers keep the name keys' side table with every write of records,
	// whatever the statement: the counts stay those read from records.
	// keyedAndByRecords lists search (a phonetic search on one page) as
	// caller, counted from the key rows and, with updated_since (which the
	// key rows lack), from records: the totals and pages must agree.
	keyedAndByRecords := func(t *testing.T, caller context.Context, search records.ListParams) records.ListResult {
		t.Helper()
		res, err := rs.List(caller, "ke", records.TypeCase, search)
		require.NoError(t, err)
		generic := search
		generic.UpdatedSince = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		byRecords, err := rs.List(caller, "ke", records.TypeCase, generic)
		require.NoError(t, err)
		require.Equal(t, byRecords.Total, res.Total, "the keyed count is the count of the records")
		require.ElementsMatch(t, ids(byRecords.Records), ids(res.Records))
		return res
	}

	// A transfer (the owner row replaced, as workflows do) moves the record
	// from the lists and counts of the old owner's agency to those of the
	// new owner's at once: the keyed count (owner_id on the key rows, kept
	// by the owner rows' triggers) and the count read from records agree.
	t.Run("TransferMovesBetweenAgencies", func(t *testing.T) {
		var otherUser, otherAgency string
		require.NoError(t, su.QueryRow(ctx, `select u.id::text, u.agency_id::text from tenant_ke.users u
			where u.agency_id <> $1::uuid order by u.id limit 1`, agencyID).Scan(&otherUser, &otherAgency))
		otherReader := policy.WithSubject(ctx, policy.Subject{Kind: policy.KindUser, ID: "6f1c1f5e-3f6b-4b0e-9a55-0000000000ac",
			Roles: []string{"role-reader"}, Scope: policy.ScopeAgency, Agency: otherAgency})
		search := records.ListParams{Per: 1000, Search: records.Search{Query: "Hassan", Phonetic: true}}
		// found lists the search as caller, keyed and from records, and
		// returns the total and whether id is on the page.
		found := func(caller context.Context, id string) (int, bool) {
			t.Helper()
			res := keyedAndByRecords(t, caller, search)
			require.Less(t, res.Total, 1000, "one page holds every match")
			return res.Total, slices.Contains(ids(res.Records), id)
		}
		page, err := rs.List(agencyReader, "ke", records.TypeCase, search)
		require.NoError(t, err)
		require.NotEmpty(t, page.Records)
		id := page.Records[0].ID
		fromBefore, in := found(agencyReader, id)
		require.True(t, in)
		toBefore, in := found(otherReader, id)
		require.False(t, in)
		_, err = rs.Get(otherReader, "ke", records.TypeCase, id)
		require.ErrorIs(t, err, tenancy.ErrNotFound)

		require.NoError(t, p.Tx(sys, "ke", func(ctx context.Context, c *tenancy.Conn) error {
			return records.SetOwner(ctx, c, id, otherUser)
		}))
		fromAfter, in := found(agencyReader, id)
		require.False(t, in, "the old agency no longer finds it")
		require.Equal(t, fromBefore-1, fromAfter)
		toAfter, in := found(otherReader, id)
		require.True(t, in, "the new owner's agency finds it")
		require.Equal(t, toBefore+1, toAfter)
		_, err = rs.Get(otherReader, "ke", records.TypeCase, id)
		require.NoError(t, err)
		var owners []string
		require.NoError(t, su.QueryRow(ctx, "select array_agg(distinct owner_id::text) from tenant_ke.record_name_keys where id = $1", id).Scan(&owners))
		require.Equal(t, []string{otherUser}, owners, "every key row of the record has its new owner")
	})

	// The key rows' other rows: a case assigned to a user of another agency
	// joins that agency's phonetic count and page (an assigned row), and a
	// group-scope caller's phonetic count is the count read from records;
	// a referral row to the caller alone reaches the case too.
	t.Run("AssignedAndGroupScope", func(t *testing.T) {
		search := records.ListParams{Per: 1000, Search: records.Search{Query: "Hassan", Phonetic: true}}
		both := func(caller context.Context) records.ListResult {
			t.Helper()
			return keyedAndByRecords(t, caller, search)
		}
		// A group of one seed owner (the seed's groups of 20 owners would
		// hold every owner of this small seed).
		var group, member, memberAgency string
		require.NoError(t, su.QueryRow(ctx, `select u.id::text, u.agency_id::text from tenant_ke.users u
			join tenant_ke.record_access a on a.user_id = u.id and a.kind = 'owner' order by u.id limit 1`).Scan(&member, &memberAgency))
		require.NoError(t, su.QueryRow(ctx, `with g as (insert into tenant_ke.user_groups (unique_id, name) values ('usergroup-plan-one', 'One')
			returning id), m as (insert into tenant_ke.user_groups_users (user_group_id, user_id) select id, $1::uuid from g)
			select id::text from g`, member).Scan(&group))
		groupReader := policy.WithSubject(ctx, policy.Subject{Kind: policy.KindUser, ID: "6f1c1f5e-3f6b-4b0e-9a55-0000000000ad",
			Roles: []string{"role-reader"}, Scope: policy.ScopeGroup, Groups: []string{group}})
		agencyOfMember := policy.WithSubject(ctx, policy.Subject{Kind: policy.KindUser, ID: "6f1c1f5e-3f6b-4b0e-9a55-0000000000ae",
			Roles: []string{"role-reader"}, Scope: policy.ScopeAgency, Agency: memberAgency})
		// A matching case owned outside the member's agency (so outside its group too).
		var id string
		require.NoError(t, su.QueryRow(ctx, `select r.id::text from tenant_ke.records r
			join tenant_ke.record_access a on a.record_id = r.id and a.kind = 'owner' join tenant_ke.users u on u.id = a.user_id
			where u.agency_id <> $1::uuid and r.record_type = 'case' and r.enabled and not r.hidden_name and r.name_folded like '%hassan%'
			and r.name_keys && array['HSN'] order by r.id limit 1`, memberAgency).Scan(&id))
		groupBefore, agencyBefore := both(groupReader), both(agencyOfMember)
		require.NotContains(t, ids(groupBefore.Records), id)
		require.NotContains(t, ids(agencyBefore.Records), id)
		require.NoError(t, p.Tx(sys, "ke", func(ctx context.Context, c *tenancy.Conn) error {
			return records.GrantAccess(ctx, c, id, member, records.AccessAssigned, "", "")
		}))
		groupAfter, agencyAfter := both(groupReader), both(agencyOfMember)
		require.Equal(t, groupBefore.Total+1, groupAfter.Total)
		require.Contains(t, ids(groupAfter.Records), id, "assigned to a member of the group")
		require.Equal(t, agencyBefore.Total+1, agencyAfter.Total)
		require.Contains(t, ids(agencyAfter.Records), id, "assigned to a user of the agency")
		// The caller's own row of another kind (a transfer's receiver).
		self := "6f1c1f5e-3f6b-4b0e-9a55-0000000000ad"
		require.NoError(t, p.Tx(sys, "ke", func(ctx context.Context, c *tenancy.Conn) error {
			if err := records.RevokeAccess(ctx, c, id, member, records.AccessAssigned, ""); err != nil {
				return err
			}
			return records.GrantAccess(ctx, c, id, self, records.AccessTransfer, "", "")
		}))
		require.Equal(t, groupBefore.Total+1, both(groupReader).Total, "its own transfer row")
		require.Equal(t, agencyBefore.Total, both(agencyOfMember).Total, "no longer assigned in the agency")
	})

	t.Run("NameKeysFollowWrites", func(t *testing.T) {
		search := records.ListParams{Search: records.Search{Query: "Hassan", Phonetic: true}}
		total := func() int {
			t.Helper()
			return keyedAndByRecords(t, reader, search).Total
		}
		before := total()
		page, err := rs.List(reader, "ke", records.TypeCase, search)
		require.NoError(t, err)
		require.NotEmpty(t, page.Records)
		id := page.Records[0].ID
		var keys []string
		require.NoError(t, su.QueryRow(ctx, "select name_keys from tenant_ke.records where id = $1", id).Scan(&keys))
		for _, step := range []struct {
			sql  string
			args []any
			want int
		}{
			{"update tenant_ke.records set hidden_name = true where id = $1", nil, before - 1}, // the reader may not see hidden names
			{"update tenant_ke.records set hidden_name = false, enabled = false where id = $1", nil, before - 1},
			{"update tenant_ke.records set enabled = true where id = $1", nil, before},
			{"update tenant_ke.records set name_keys = '{}' where id = $1", nil, before - 1},
			{"update tenant_ke.records set name_keys = $2 where id = $1", []any{keys}, before},
			{"delete from tenant_ke.records where id = $1", nil, before - 1},
		} {
			_, err := su.Exec(ctx, step.sql, append([]any{id}, step.args...)...)
			require.NoError(t, err)
			require.Equal(t, step.want, total(), step.sql)
		}
	})

	t.Run("IDSearchFollowsMembership", func(t *testing.T) {
		// The constant array of the scope's users is read in each call's
		// transaction: a user joining the agency brings its cases into the
		// agency caller's ID search at once, and leaving takes them out.
		var shortID, owner, ownerAgency string
		require.NoError(t, su.QueryRow(ctx, `select r.short_id, u.id::text, u.agency_id::text from tenant_ke.records r
			join tenant_ke.record_access a on a.record_id = r.id and a.kind = 'owner' join tenant_ke.users u on u.id = a.user_id
			where r.record_type = 'case' and r.enabled and u.agency_id <> $1::uuid order by r.short_id limit 1`, agencyID).Scan(&shortID, &owner, &ownerAgency))
		search := records.ListParams{Search: records.Search{Query: shortID, IDSearch: true}}
		found := func() int {
			t.Helper()
			res, err := rs.List(agencyReader, "ke", records.TypeCase, search)
			require.NoError(t, err)
			return res.Total
		}
		require.Zero(t, found(), "a case of another agency")
		_, err := su.Exec(ctx, "update tenant_ke.users set agency_id = $2::uuid where id = $1::uuid", owner, agencyID)
		require.NoError(t, err)
		require.Equal(t, 1, found(), "its owner joined the agency")
		_, err = su.Exec(ctx, "update tenant_ke.users set agency_id = $2::uuid where id = $1::uuid", owner, ownerAgency)
		require.NoError(t, err)
		require.Zero(t, found(), "its owner left the agency")
	})

	t.Run("RecencyFollowsWrites", func(t *testing.T) {
		// Beyond the ranking bound the page of the most recently updated
		// comes from the key rows' updated_at: a write of a record that
		// changes nothing but updated_at brings it to the first page.
		defer records.SetRankCandidates(10, 1_000_000)()
		search := records.ListParams{Search: records.Search{Query: "Hassan", Phonetic: true}}
		second := search
		second.Page = 2
		page2, err := rs.List(reader, "ke", records.TypeCase, second)
		require.NoError(t, err)
		require.NotEmpty(t, page2.Records)
		id := page2.Records[len(page2.Records)-1].ID
		_, err = su.Exec(ctx, "update tenant_ke.records set updated_at = now() + interval '1 hour' where id = $1", id)
		require.NoError(t, err)
		// The same page as the walk of records' updated_at (keyedAndByRecords).
		first := keyedAndByRecords(t, reader, search)
		require.Contains(t, ids(first.Records), id)
		var stale int
		require.NoError(t, su.QueryRow(ctx, `select count(*) from tenant_ke.record_name_keys k join tenant_ke.records r on r.id = k.id
			where k.updated_at <> r.updated_at`).Scan(&stale))
		require.Zero(t, stale, "every key row has its record's updated_at")
	})

	// The scope side table follows every write of records and of owner rows,
	// whatever the statement: after each, no row differs from records and
	// their owner rows, and the agency caller's filtered list (counted and
	// paged on record_scope) is the list read from records with the
	// visibility's own SQL, in order.
	t.Run("ScopeFollowsWrites", func(t *testing.T) {
		const self = "6f1c1f5e-3f6b-4b0e-9a55-0000000000ab" // agencyReader
		var id, owner, place, otherUser string
		require.NoError(t, su.QueryRow(ctx, `select r.id::text, u.id::text, l.code from tenant_ke.records r
			join tenant_ke.record_access a on a.record_id = r.id and a.kind = 'owner' join tenant_ke.users u on u.id = a.user_id
			join tenant_ke.locations l on l.path::text = r.location_current::text
			where u.agency_id = $1::uuid and r.record_type = 'case' and r.enabled and r.status = 'open' order by r.id limit 1`,
			agencyID).Scan(&id, &owner, &place))
		require.NoError(t, su.QueryRow(ctx, `select u.id::text from tenant_ke.users u where u.agency_id <> $1::uuid order by u.id limit 1`,
			agencyID).Scan(&otherUser))
		drift := func() int {
			t.Helper()
			var n int
			require.NoError(t, su.QueryRow(ctx, `with truth as (select r.id, r.record_type, r.module_id, a.user_id as owner_id, r.enabled,
					r.status, r.workflow, r.location_current::text, r.date_of_birth, r.age, r.sex, r.risk_level, r.flagged, r.created_at, r.updated_at
				from tenant_ke.records r left join tenant_ke.record_access a on a.record_id = r.id and a.kind = 'owner'),
			side as (select id, record_type, module_id, owner_id, enabled, status, workflow, location_current::text, date_of_birth, age, sex,
					risk_level, flagged, created_at, updated_at from tenant_ke.record_scope)
			select (select count(*) from (table truth except all table side) x) + (select count(*) from (table side except all table truth) y)`).Scan(&n))
			return n
		}
		search := records.ListParams{Per: 1000, Search: records.Search{Filters: map[string][]string{"location_current": {place}, "status": {"open"}}}}
		// listed requires the agency caller's list to be the one read from
		// records and returns whether id is on it.
		listed := func(step string) bool {
			t.Helper()
			require.Zero(t, drift(), "record_scope equals records and their owner rows after %s", step)
			rows, err := su.Query(ctx, `select r.id::text from tenant_ke.records r
				where r.record_type = 'case' and r.enabled and r.status = 'open'
				and r.location_current operator(extensions.<@) (select l.path from tenant_ke.locations l where l.code = $1)
				and exists (select from tenant_ke.record_access a where a.record_id = r.id and (a.user_id = $2::uuid
					or a.kind in ('owner', 'assigned') and a.user_id in (select p.id from tenant_ke.principals p where p.agency_id = $3::uuid)))
				order by r.updated_at desc, r.id desc`, place, self, agencyID)
			require.NoError(t, err)
			want, err := pgx.CollectRows(rows, pgx.RowTo[string])
			require.NoError(t, err)
			mu.Lock()
			captured = nil
			mu.Unlock()
			res, err := rs.List(agencyReader, "ke", records.TypeCase, search)
			require.NoError(t, err)
			mu.Lock()
			require.Contains(t, captured[0], "from record_scope r", "the list is paged on record_scope")
			mu.Unlock()
			require.Equal(t, len(want), res.Total, step)
			require.Equal(t, want, ids(res.Records), step)
			return slices.Contains(want, id)
		}
		tx := func(f func(ctx context.Context, c *tenancy.Conn) error) {
			t.Helper()
			require.NoError(t, p.Tx(sys, "ke", f))
		}
		exec := func(sql string) {
			t.Helper()
			_, err := su.Exec(ctx, sql, id)
			require.NoError(t, err)
		}
		require.True(t, listed("the seed (inserts of records, then their owner rows)"))
		exec("update tenant_ke.records set status = 'closed', updated_at = now() where id = $1")
		require.False(t, listed("closed"))
		exec("update tenant_ke.records set status = 'open', updated_at = now() + interval '1 hour' where id = $1")
		require.True(t, listed("reopened"))
		tx(func(ctx context.Context, c *tenancy.Conn) error { return records.SetOwner(ctx, c, id, otherUser) })
		require.False(t, listed("a transfer to another agency"))
		tx(func(ctx context.Context, c *tenancy.Conn) error {
			return records.GrantAccess(ctx, c, id, owner, records.AccessAssigned, "", "")
		})
		require.True(t, listed("assigned to a user of the agency"))
		tx(func(ctx context.Context, c *tenancy.Conn) error {
			return records.GrantAccess(ctx, c, id, self, records.AccessTransfer, "", "")
		})
		require.True(t, listed("also the caller's own transfer row"))
		tx(func(ctx context.Context, c *tenancy.Conn) error {
			if err := records.RevokeAccess(ctx, c, id, owner, records.AccessAssigned, ""); err != nil {
				return err
			}
			return records.RevokeAccess(ctx, c, id, self, records.AccessTransfer, "")
		})
		require.False(t, listed("the assignment and the transfer row revoked"))
		tx(func(ctx context.Context, c *tenancy.Conn) error { return records.SetOwner(ctx, c, id, owner) })
		require.True(t, listed("transferred back"))
		exec("delete from tenant_ke.record_access where record_id = $1 and kind = 'owner'")
		require.False(t, listed("no owner row"))
		tx(func(ctx context.Context, c *tenancy.Conn) error { return records.SetOwner(ctx, c, id, owner) })
		require.True(t, listed("an owner again"))
		exec("update tenant_ke.records set enabled = false where id = $1")
		require.False(t, listed("disabled"))
		exec("update tenant_ke.records set enabled = true where id = $1")
		require.True(t, listed("enabled"))
		exec("update tenant_ke.records set date_of_birth = current_date - 400, location_current = null where id = $1")
		require.False(t, listed("moved out of the place"))
		exec("delete from tenant_ke.records where id = $1")
		require.False(t, listed("deleted"))
		var left int
		require.NoError(t, su.QueryRow(ctx, "select count(*) from tenant_ke.record_scope where id = $1", id).Scan(&left))
		require.Zero(t, left)
	})
}
