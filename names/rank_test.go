package names

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRankMohamed is the search of issue 10: for the query "Mohamed" (and
// its Arabic spelling) a list of 30 names is ranked by Score, best first;
// every spelling of the name must come before every other name, however
// alike (Mahmoud and its Somali spelling Mohamud, Hamid, Ahmed, Mohannad).
func TestRankMohamed(t *testing.T) {
	t.Parallel()
	variants := []string{
		"Mohamed", "Muhammad", "Mohammed", "Mouhamed", "Mohamad", "Mohammad", "Muhamad",
		"MOHAMED", "Mouhammad", "Muhammed", "Mahamed", "محمد", "مُحَمَّد",
	}
	distractors := []string{
		"Mahmoud", "Mahmud", "محمود", "Mohamud", "Mahmood", "Hamid", "Ahmed", "Hamed",
		"Mohsen", "Mohannad", "Muhannad", "Mamadou", "Madina", "Mustafa", "Mehdi", "Hamdi", "Hammad",
	}
	list := append(slices.Clone(distractors), variants...)
	require.Len(t, list, 30)
	for _, query := range []string{"Mohamed", "محمد", "Muhammad"} {
		ranked := rank(query, list)
		for i, n := range ranked {
			if i < len(variants) {
				require.Contains(t, variants, n, "query %s: rank %d is %s; ranking %v", query, i+1, n, ranked)
			} else {
				require.Contains(t, distractors, n, "query %s: rank %d is %s", query, i+1, n)
			}
		}
		// The exact spelling comes first.
		require.Equal(t, Fold(query), Fold(ranked[0]), "query %s", query)
	}
}

// TestRankOtherNames runs the same check for the brief's other names.
func TestRankOtherNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query       string
		variants    []string
		distractors []string
	}{
		{
			"Abdirahman",
			[]string{"Abdirahman", "Abdurahman", "Abdul Rahman", "Abderrahmane", "عبد الرحمن", "Abdulrahman"},
			[]string{"Abdirahim", "Abdulrahim", "Rahman", "Abdikarim", "Abdullahi", "Abdirashid", "Abderrazak", "Abdul Rahim", "عبد الرحيم"},
		},
		{
			"Yusuf",
			[]string{"Yusuf", "Youssouf", "Yousef", "Yusef", "يوسف", "Youssef"},
			[]string{"Yunus", "Younes", "Yasin", "Yousra", "Yusra", "Musa", "Sufyan", "Yazid", "يونس"},
		},
		{
			"Hussein",
			[]string{"Hussein", "Husein", "Hussain", "حسين", "Hossein", "Husain"},
			[]string{"Hassan", "Hasan", "حسن", "Hassane", "Husni", "Hassanein", "Hussam"},
		},
		{
			"Ali",
			[]string{"Ali", "Aly", "علي", "ALI"},
			[]string{"Alia", "Aliya", "Alya", "عالية", "Alim", "Ahmed", "Adil"},
		},
	} {
		ranked := rank(tc.query, append(slices.Clone(tc.distractors), tc.variants...))
		for i, n := range ranked {
			want := tc.variants
			if i >= len(tc.variants) {
				want = tc.distractors
			}
			require.Contains(t, want, n, "query %s: rank %d is %s; ranking %v", tc.query, i+1, n, ranked)
		}
	}
}

// rank sorts names by Score for the query, best first (stable).
func rank(query string, names []string) []string {
	q := Parse(query)
	scores := make(map[string]float64, len(names))
	for _, n := range names {
		scores[n] = q.Score(Parse(n))
	}
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return 0
	})
	return out
}
