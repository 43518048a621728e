package synthetic

// Profile is a population and the distortions of its registrations: which
// naming traditions families follow, how caseworkers write names, how
// often parts are missing, misspelt, swapped, how far estimated ages and
// remembered dates are off. Two profiles exist so that nothing is tuned to
// one: A (Horn of Africa and Sudan, careful registration) and B (Great
// Lakes and Chad, French-speaking agencies, noisier in every respect).
type Profile struct {
	Name string
	// Traditions weighs the families' naming traditions: Somali, Arabic
	// (Sudanese, Chadian), South Sudanese (Dinka, Nuer), Congolese.
	Traditions [nTraditions]float64
	// CaseStyles and TraceStyles weigh how the registering caseworkers
	// write names: English-style, French-style, Somali orthography, Arabic
	// script (a tracing agency often writes differently from the agency
	// that registered the child).
	CaseStyles, TraceStyles [nStyles]float64
	// Registered is the share of separated children registered as cases;
	// NoConsent the share of those without consent for tracing (not
	// matchable, so their traces count as unregistered).
	Registered, NoConsent float64
	// SeparatedTogether is the share of families whose separated children
	// were separated in one event (same date, place, camp now).
	SeparatedTogether float64

	// Names.
	Typo         float64 // per written name part
	FreeSpelling float64 // a less usual spelling than the style's first
	// Presence of the father's and grandfather's names (middle and last
	// parts) in cases and traces, and of a nickname.
	CaseMiddle, CaseLast, TraceMiddle, TraceLast float64
	CaseNickname, TraceNickname                  float64
	// Swap: the trace writes the name parts in another order (the family
	// name first). NicknameOnly: the inquirer gives the child's nickname as
	// the first name.
	Swap, NicknameOnly float64
	// InquirerKnowsNames: a non-parent inquirer knows the father's names.
	InquirerKnowsNames float64

	// Ages and dates.
	DOBKnown   float64   // a case's date of birth is documented (else estimated)
	EstimateSD float64   // years: standard deviation of an estimated date of birth
	AgeError   []float64 // weights of the trace's age error 0, 1, 2, 3, 4 years
	TraceDOB   float64   // the inquirer gives a date of birth
	DateError  float64   // days: mean error of a remembered separation date
	SexError   float64

	// Other fields: base rate of a missing value (nationality, languages,
	// religion, ethnicity, separation fields) and of a wrong one.
	Missing, Wrong float64
	// Locations: the trace's last-seen place is coarser (the district
	// instead of the camp) or a neighbouring camp.
	Coarse, Neighbour float64
	// Family rows recorded with the case.
	CaseMother, CaseFather, CaseOther float64
	// Moved is the share of parents asking from another place than the one
	// their row in the child's case gives (they moved after the child's
	// registration, or the caseworker wrote where they were then). Zero in
	// both profiles, which never measured it (a diagnosis sets it: the
	// quality benchmark's -quality.moved).
	Moved float64
}

// ProfileA is the main profile: mostly Somali and Sudanese families,
// English-style and Somali spellings, Arabic script in a fifth of the
// tracing requests, moderate distortions.
func ProfileA() Profile {
	return Profile{
		Name:              "A",
		Traditions:        [nTraditions]float64{0.55, 0.25, 0.15, 0.05},
		CaseStyles:        [nStyles]float64{0.55, 0.1, 0.25, 0.1},
		TraceStyles:       [nStyles]float64{0.45, 0.1, 0.2, 0.25},
		Registered:        0.75,
		NoConsent:         0.05,
		SeparatedTogether: 0.6,

		Typo:               0.03,
		FreeSpelling:       0.25,
		CaseMiddle:         0.92,
		CaseLast:           0.8,
		TraceMiddle:        0.9,
		TraceLast:          0.7,
		CaseNickname:       0.3,
		TraceNickname:      0.3,
		Swap:               0.04,
		NicknameOnly:       0.04,
		InquirerKnowsNames: 0.7,

		DOBKnown:   0.35,
		EstimateSD: 0.9,
		AgeError:   []float64{0.65, 0.22, 0.08, 0.04, 0.01},
		TraceDOB:   0.2,
		DateError:  12,
		SexError:   0.005,

		Missing:   0.1,
		Wrong:     0.05,
		Coarse:    0.25,
		Neighbour: 0.1,

		CaseMother: 0.75,
		CaseFather: 0.7,
		CaseOther:  0.3,
	}
}

// ProfileB is the second profile: Congolese, South Sudanese and Chadian
// families, French-style spellings, fewer documents, more typos, missing
// parts, nicknames, swapped names, wider age errors and coarser places.
func ProfileB() Profile {
	return Profile{
		Name:              "B",
		Traditions:        [nTraditions]float64{0.15, 0.25, 0.25, 0.35},
		CaseStyles:        [nStyles]float64{0.35, 0.5, 0.05, 0.1},
		TraceStyles:       [nStyles]float64{0.3, 0.5, 0.05, 0.15},
		Registered:        0.6,
		NoConsent:         0.08,
		SeparatedTogether: 0.5,

		Typo:               0.07,
		FreeSpelling:       0.35,
		CaseMiddle:         0.85,
		CaseLast:           0.65,
		TraceMiddle:        0.8,
		TraceLast:          0.55,
		CaseNickname:       0.35,
		TraceNickname:      0.35,
		Swap:               0.08,
		NicknameOnly:       0.08,
		InquirerKnowsNames: 0.55,

		DOBKnown:   0.2,
		EstimateSD: 1.4,
		AgeError:   []float64{0.5, 0.25, 0.13, 0.08, 0.04},
		TraceDOB:   0.12,
		DateError:  40,
		SexError:   0.01,

		Missing:   0.2,
		Wrong:     0.08,
		Coarse:    0.35,
		Neighbour: 0.15,

		CaseMother: 0.6,
		CaseFather: 0.55,
		CaseOther:  0.3,
	}
}
