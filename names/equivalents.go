package names

// equivalentNames are given names that languages spell differently but
// that are one name to the families who carry them: a child baptised Jean
// in Congo is John to the uncle asking in Uganda, and جون to an Arabic-script
// caseworker in Sudan. Each group's first spelling is its canonical form;
// every other spelling also gets the canonical form's keys (tokenKeys), so a
// search or a match meets every form. Only Christian names in European
// languages and their Arabic-script spellings: a name that another religion
// carries in its own form (Joseph and Yusuf, Mary and Maryam, Moses and
// Musa) is not joined, since the families who carry one rarely write the
// other, and the common Arabic names would meet every such trace. A form
// that is a woman's name elsewhere (Andrea, Michèle) is left out: the
// groups are one person's name, not its etymology.
var equivalentNames = [][]string{
	{"John", "Jean", "Juan", "Johannes", "Jhon", "Yohana", "Yohanna", "جون", "يوحنا"},
	{"Joan", "Jeanne", "Jane", "Johanna", "Juana"},
	{"Peter", "Pierre", "Pedro", "Petro", "Petros", "بطرس"},
	{"James", "Jacques", "Jaime", "Giacomo"},
	{"Stephen", "Etienne", "Stephane", "Stefano", "Esteban", "ستيفن"},
	{"Andrew", "Andre", "Andres", "Andreas"},
	{"Joshua", "Josue"},
	{"Martha", "Marthe", "Marta"},
	{"Matthew", "Matthieu", "Mateo", "Matteo", "Mattheo"},
	{"Luke", "Luc", "Luca", "Lucas"},
	{"Mark", "Marc", "Marco", "Marcos"},
	{"Anthony", "Antoine", "Antonio"},
	{"Francis", "Francois", "Francisco", "Francesco"},
	{"Henry", "Henri", "Enrique"},
	{"William", "Guillaume", "Guillermo"},
	{"Christopher", "Christophe", "Cristobal"},
	{"Benedict", "Benoit", "Benito"},
	{"Gregory", "Gregoire", "Gregorio"},
	{"Michael", "Michel", "Miguel", "ميخائيل"},
	{"Theresa", "Therese", "Teresa"},
	{"Helen", "Helene", "Elena"},
	{"Margaret", "Marguerite", "Margarita"},
}

// equivalentOf maps a light-folded spelling to the light-folded canonical
// form of its group.
var equivalentOf = func() map[string]string {
	m := map[string]string{}
	for _, g := range equivalentNames {
		canon := light(g[0])
		for _, s := range g[1:] {
			m[light(s)] = canon
		}
	}
	return m
}()
