package records

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/names"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Duplicate is an existing case that may be the child of a case about to
// be created, with the reasons and a score in [0, 1].
type Duplicate struct {
	Record  Record
	Score   float64
	Reasons []Reason
}

// Reason is one thing a possible duplicate shares with the would-be case:
// Field (an ID field, "name", "date_of_birth", "age", "sex",
// "location_current") and Match: "exact" (same value; for names, the same
// after folding), "phonetic" (names sharing phonetic keys), "close"
// (dates of birth within a year, ages within one year).
type Reason struct {
	Field string `json:"field"`
	Match string `json:"match" enum:"exact,phonetic,close"`
}

// Duplicates limits.
const (
	// DuplicatesMax is the most duplicates returned.
	DuplicatesMax = 20
	// duplicateCandidates bounds the candidates scored.
	duplicateCandidates = 200
	// DuplicateThreshold is the least score of a duplicate returned: a name
	// alone that is the same (0.6), or a spelling of it with one more
	// agreement (sex, age, place).
	DuplicateThreshold = 0.6
)

// Duplicates finds the cases within the caller's scope that may be the
// child of a case about to be created (search before create): those with
// the same value in an ID field, or with names that share phonetic keys
// (every name given) and a compatible sex and age. Each comes with the
// reasons and a score, best first: an ID field in common scores 1; else
// the name (names.Score, weight 0.6), date of birth or age (0.2), sex
// (0.1), location (0.1) and a phone number in common (0.2, local and
// international writings alike: phoneValue) add up, at most 1. Hidden
// names are not compared for callers who may not see them. The call's
// audit row lists the ids returned.
func (s *Service) Duplicates(ctx context.Context, code string, body Data) ([]Duplicate, error) {
	if err := s.p.Authorize(ctx, code, permsOf(TypeCase).read); err != nil {
		return nil, err
	}
	cl := s.caller(ctx, code, TypeCase)
	module, _ := body["module_id"].(string)
	data := Data{}
	for k, v := range body {
		if !isCoreAttribute(k) {
			data[k] = v
		}
	}
	out := []Duplicate{}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		cl.c = c
		c.AuditRecord(ctx, TypeCase, "")
		mod, err := moduleOf(ctx, c, TypeCase, module)
		if err != nil {
			return err
		}
		sch, err := cl.schema(ctx, mod)
		if err != nil {
			return err
		}
		sc, err := cl.searchConfig(ctx)
		if err != nil {
			return err
		}
		want := sch.Calculate(data)
		ids := map[string]string{} // normalised value -> ID field
		for _, f := range sch.IDFields() {
			if v, ok := want[f].(string); ok && normaliseID(v) != "" {
				ids[normaliseID(v)] = f
			}
		}
		var nameParts []string
		for _, f := range NameFields {
			if v, ok := want[f].(string); ok && strings.TrimSpace(v) != "" {
				nameParts = append(nameParts, v)
			}
		}
		name := strings.Join(nameParts, " ")
		if len(ids) == 0 && len(names.Keys(name)) == 0 {
			return &tenancy.InvalidError{Field: "data", Reason: "give the child's names or an ID field to look for duplicates"}
		}
		phones := phoneRuleOf(ctx, c)
		x := extract(TypeCase, want, sch, phones)
		if err := phones.Err(); err != nil {
			return err
		}
		wantPhones := phoneForms(want, sch, phones)
		q := newQuery(c.Subject(), TypeCase)
		q.where("r.enabled")
		var ors []string
		if len(ids) > 0 {
			vals := make([]string, 0, len(ids))
			for v := range ids {
				vals = append(vals, v)
			}
			slices.Sort(vals)
			ors = append(ors, "r.id_values && "+q.arg(vals)+"::text[]")
		}
		if cl.nameSearch(q, sc, nil) {
			var conds []string
			for _, f := range NameFields {
				if v, ok := want[f].(string); ok {
					if k := names.Keys(v); len(k) > 0 {
						conds = append(conds, "r.name_keys && "+q.arg(k)+"::text[]")
					}
				}
			}
			if x.Sex != nil {
				conds = append(conds, "(r.sex is null or r.sex = "+q.arg(*x.Sex)+")")
			}
			if x.DateOfBirth != nil {
				conds = append(conds, "(r.date_of_birth is null or r.date_of_birth between "+q.arg(x.DateOfBirth.AddDate(-2, 0, 0))+
					"::date and "+q.arg(x.DateOfBirth.AddDate(2, 0, 0))+"::date)")
			}
			if len(conds) > 0 && len(names.Keys(name)) > 0 {
				ors = append(ors, "("+strings.Join(conds, " and ")+cl.nameCond(q, sc)+")")
			}
		}
		if len(ors) == 0 {
			return nil
		}
		q.where(strings.Join(ors, " or "))
		rows, err := c.Query(ctx, "select "+recordColumns+recordFrom+"where "+q.whereSQL()+
			" order by similarity(r.name_folded, "+q.arg(x.NameFolded)+"::text) desc, r.id limit "+q.arg(duplicateCandidates), q.args...)
		if err != nil {
			return err
		}
		candidates, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Record, error) { return scanRecord(row) })
		if err != nil {
			return err
		}
		query := names.Parse(name)
		for _, r := range candidates {
			d := Duplicate{Record: r}
			for _, f := range sch.IDFields() {
				if v, ok := r.Data[f].(string); ok && ids[normaliseID(v)] != "" {
					d.Reasons = append(d.Reasons, Reason{Field: f, Match: "exact"})
					d.Score = 1
				}
			}
			hiddenFromMe := cl.masked(r.HiddenName, r.OwnerID)
			if !query.Empty() && !hiddenFromMe {
				var parts []string
				for _, f := range NameFields {
					if v, ok := r.Data[f].(string); ok {
						parts = append(parts, v)
					}
				}
				cand := names.Parse(strings.Join(parts, " "))
				score := 0.0
				switch query.Compare(cand) {
				case names.Exact:
					d.Reasons, score = append(d.Reasons, Reason{Field: "name", Match: "exact"}), 1
				case names.Phonetic:
					d.Reasons, score = append(d.Reasons, Reason{Field: "name", Match: "phonetic"}), query.Score(cand)
				}
				theirs := extract(TypeCase, r.Data, sch, phones)
				score *= 0.6
				switch {
				case x.DateOfBirth != nil && theirs.DateOfBirth != nil && x.DateOfBirth.Equal(*theirs.DateOfBirth):
					d.Reasons, score = append(d.Reasons, Reason{Field: "date_of_birth", Match: "exact"}), score+0.2
				case x.DateOfBirth != nil && theirs.DateOfBirth != nil && math.Abs(x.DateOfBirth.Sub(*theirs.DateOfBirth).Hours()) <= 366*24:
					d.Reasons, score = append(d.Reasons, Reason{Field: "date_of_birth", Match: "close"}), score+0.1
				case ageOf(x) >= 0 && ageOf(theirs) >= 0 && math.Abs(float64(ageOf(x)-ageOf(theirs))) <= 1:
					d.Reasons, score = append(d.Reasons, Reason{Field: "age", Match: "close"}), score+0.1
				}
				if x.Sex != nil && theirs.Sex != nil && *x.Sex == *theirs.Sex {
					d.Reasons, score = append(d.Reasons, Reason{Field: "sex", Match: "exact"}), score+0.1
				}
				if x.Location != nil && theirs.Location != nil && *x.Location == *theirs.Location {
					d.Reasons, score = append(d.Reasons, Reason{Field: "location_current", Match: "exact"}), score+0.1
				}
				for f, forms := range phoneForms(r.Data, sch, phones) {
					if phoneShared(forms, wantPhones) {
						d.Reasons, score = append(d.Reasons, Reason{Field: f, Match: "exact"}), score+0.2
						break
					}
				}
				if err := phones.Err(); err != nil {
					return err
				}
				d.Score = max(d.Score, min(1, math.Round(score*100)/100))
			}
			if d.Score >= DuplicateThreshold {
				out = append(out, d)
			}
		}
		slices.SortStableFunc(out, func(a, b Duplicate) int {
			switch {
			case a.Score > b.Score:
				return -1
			case a.Score < b.Score:
				return 1
			}
			return 0
		})
		if len(out) > DuplicatesMax {
			out = out[:DuplicatesMax]
		}
		found := make([]string, len(out))
		for i := range out {
			found[i] = out[i].Record.ID
		}
		if err := cl.resolveRoles(ctx, found...); err != nil {
			return err
		}
		for i := range out {
			if err := cl.present(ctx, &out[i].Record); err != nil {
				return err
			}
		}
		return auditList(ctx, c, TypeCase, len(found), found)
	})
	return out, err
}

// ageOf is the age in whole years today (from the date of birth when
// known), or -1.
func ageOf(x searchColumns) int {
	if x.DateOfBirth != nil {
		now := time.Now()
		age := now.Year() - x.DateOfBirth.Year()
		if now.YearDay() < x.DateOfBirth.YearDay() {
			age--
		}
		return age
	}
	if x.Age != nil {
		return int(*x.Age)
	}
	return -1
}

// phoneForms gives, per phone field of d with at least 6 digits, the forms
// it may be stored in: with the tenant's calling code (phoneValue) and as
// all its digits (as records written before the code was set hold it).
func phoneForms(d Data, sch Schema, phones *phoneRule) map[string][]string {
	out := map[string][]string{}
	for _, f := range sch.PhoneFields() {
		if v, ok := d[f].(string); ok && len(normalisePhone(v)) >= 6 {
			out[f] = []string{phones.value(v), normalisePhone(v)}
		}
	}
	return out
}

// phoneShared reports whether forms share a form with one of want's numbers.
func phoneShared(forms []string, want map[string][]string) bool {
	for _, w := range want {
		for _, x := range forms {
			if slices.Contains(w, x) {
				return true
			}
		}
	}
	return false
}
