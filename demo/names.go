package demo

// Names as caseworkers write them: each entry is one name in its spellings
// (Latin spellings of English, French and Somali usage, and Arabic script),
// so that the phonetic search has variants to find. Pools are weighted by
// position: earlier names are more common.
var (
	boys = [][]string{
		{"Mohamed", "Muhammad", "Mohammed", "Mohamud", "Maxamed", "Mouhamed", "محمد"},
		{"Abdirahman", "Abdurahman", "Abdulrahman", "Abderrahmane", "عبد الرحمن"},
		{"Yusuf", "Youssouf", "Yousef", "Yusuf", "يوسف"},
		{"Ahmed", "Ahmad", "Axmed", "Ahmat", "أحمد"},
		{"Ali", "Aly", "Cali", "علي"},
		{"Hassan", "Hasan", "Xasan", "Hassane", "حسن"},
		{"Hussein", "Husein", "Xuseen", "Houssein", "حسين"},
		{"Ibrahim", "Ebrahim", "Brahim", "Ibraahim", "إبراهيم"},
		{"Omar", "Oumar", "Umar", "Cumar", "عمر"},
		{"Abdullahi", "Abdallah", "Abdoulaye", "Cabdullahi", "عبد الله"},
		{"Osman", "Othman", "Ousmane", "Cusmaan", "عثمان"},
		{"Mustafa", "Moustapha", "Mustapha", "مصطفى"},
		{"Ismail", "Ismael", "Smail", "Ismaaciil", "إسماعيل"},
		{"Khalid", "Khaled", "Khaalid", "خالد"},
		{"Mahmoud", "Mahmud", "Mahamoud", "محمود"},
		{"Adam", "Adan", "Aadan", "آدم"},
		{"Musa", "Moussa", "Muuse", "موسى"},
		{"Idris", "Idriss", "Idiris", "إدريس"},
		{"Salah", "Salaad", "Salah", "صلاح"},
		{"Bashir", "Bachir", "Bashiir", "بشير"},
		{"John", "Jean"}, {"Peter", "Pierre"}, {"Emmanuel"}, {"Joseph"}, {"Samuel"}, {"Daniel"}, {"David"}, {"James"},
		{"Kofi"}, {"Baraka"}, {"Juma"}, {"Otieno"}, {"Kamau"}, {"Deng"}, {"Garang"}, {"Mamadou"}, {"Sékou", "Sekou"},
	}
	girls = [][]string{
		{"Fatima", "Fatuma", "Fadumo", "Fatoumata", "Faadumo", "فاطمة"},
		{"Amina", "Aminah", "Aamina", "Aminata", "أمينة"},
		{"Halima", "Halimo", "Xaliimo", "Halimah", "حليمة"},
		{"Khadija", "Khadidja", "Hadiza", "Khadiijo", "خديجة"},
		{"Aisha", "Aicha", "Aïcha", "Caasha", "Ayesha", "عائشة"},
		{"Maryam", "Mariam", "Maryan", "Meriem", "مريم"},
		{"Zainab", "Zeinab", "Saynab", "زينب"},
		{"Hawa", "Hawo", "Xawo", "حواء"},
		{"Asha", "Ashaa", "عائشة"},
		{"Sahra", "Sahara", "Zahra", "زهرة"},
		{"Hodan", "Hodane"}, {"Ifrah", "Ifra"}, {"Nasra", "Nasro", "نصرة"}, {"Safiya", "Safia", "Safiyo", "صفية"},
		{"Rahma", "Rahmo", "رحمة"}, {"Sumaya", "Sumaiya", "سمية"}, {"Layla", "Leila", "Leyla", "ليلى"},
		{"Mary", "Marie"}, {"Grace"}, {"Esther"}, {"Sarah", "Sara", "سارة"}, {"Ruth"}, {"Faith"}, {"Joy"},
		{"Wanjiru"}, {"Akinyi"}, {"Nyaboke"}, {"Achol"}, {"Nyandeng"}, {"Aminata"}, {"Mariama"}, {"Awa"},
	}
	// family names (fathers' and grandfathers' names in Somali and Arabic
	// naming, clan and family names elsewhere).
	families = [][]string{
		{"Hassan", "Hasan", "Xasan", "حسن"}, {"Ali", "Cali", "علي"}, {"Omar", "Cumar", "عمر"}, {"Abdi", "Cabdi", "عبدي"},
		{"Warsame", "Warsama", "ورسمه"}, {"Mohamed", "Maxamed", "محمد"}, {"Ahmed", "Axmed", "أحمد"}, {"Ibrahim", "إبراهيم"},
		{"Farah", "Faarax", "فارح"}, {"Yusuf", "Yuusuf", "يوسف"}, {"Osman", "Cismaan", "عثمان"}, {"Aden", "Aadan", "آدم"},
		{"Jama", "Jaamac", "جامع"}, {"Elmi", "Cilmi", "علمي"}, {"Haddad", "Hadad", "حداد"}, {"Mansour", "Mansur", "منصور"},
		{"Diallo"}, {"Traoré", "Traore"}, {"Koné", "Kone"}, {"Ouedraogo"}, {"Mwangi"}, {"Ochieng"}, {"Wanjiku"},
		{"Kiprop"}, {"Deng"}, {"Majok"}, {"Okello"}, {"Mensah"}, {"Nkurunziza"}, {"Habimana"}, {"Mutua"}, {"Kariuki"},
	}
)
