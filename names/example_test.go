package names_test

import (
	"fmt"

	"github.com/cpims-hosted/cpims/names"
)

func ExampleKeys() {
	for _, n := range []string{"Mohamed", "Muhammad", "محمد", "Mahmoud", "محمود"} {
		fmt.Println(n, names.Keys(n))
	}
	// Output:
	// Mohamed [MHMD MHMID]
	// Muhammad [MHMD]
	// محمد [MHMD]
	// Mahmoud [MHMUD]
	// محمود [MHMUD]
}

func ExampleTokens() {
	fmt.Printf("%q\n", names.Tokens("Abd al-Rahman bin Ali"))
	fmt.Printf("%q\n", names.Tokens("عبد الرحمن بن علي"))
	// Output:
	// ["abdrahman" "ali"]
	// ["عبدالرحمن" "علي"]
}

func ExampleFold() {
	fmt.Println(names.Fold("  Aïcha  N'Diaye "))
	fmt.Println(names.Fold("مُحَمَّـــد أَحْمَد"))
	// Output:
	// aicha ndiaye
	// محمد احمد
}

func ExampleTransliterate() {
	fmt.Println(names.Transliterate("يوسف عبد الله"))
	// Output:
	// yusf abd allh
}

func ExampleCompare() {
	fmt.Println(names.Compare("Mohamed Ali", "ALI, Mohamed"))
	fmt.Println(names.Compare("Mohamed Ali", "محمد علي"))
	fmt.Println(names.Compare("Mohamed", "Mohaned"))
	fmt.Println(names.Compare("Mohamed", "Mahmoud"))
	fmt.Println(names.Compare("Mohamed", ""))
	// Output:
	// exact
	// phonetic
	// close
	// different
	// missing
}

func ExampleName_Score() {
	query := names.Parse("Yusuf")
	for _, c := range []string{"Yusuf", "Youssouf", "يوسف", "Yunus"} {
		fmt.Printf("%s %.2f\n", c, query.Score(names.Parse(c)))
	}
	// Output:
	// Yusuf 1.00
	// Youssouf 0.98
	// يوسف 0.99
	// Yunus 0.71
}
