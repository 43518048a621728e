package synthetic

import (
	"fmt"
	"strings"
)

// Style is how a registering caseworker writes names: the English-style
// Latin spellings of East Africa, the French-style spellings of Chad and
// West Africa, Somali official orthography, or Arabic script.
type Style int

// Writing styles.
const (
	English Style = iota
	French
	Somali
	Arabic
	nStyles
)

func (s Style) String() string { return [...]string{"en", "fr", "so", "ar"}[s] }

// name is one given name with its spellings per style (the first of each
// style is the usual one) and its nicknames. Frequencies follow the order
// of the lists (a Zipf law over the rank).
type name struct {
	canonical string
	spell     [nStyles][]string
	nick      []string
}

// Traditions: which naming customs a family follows.
const (
	tradSomali = iota
	tradArabic
	tradSouthSudan
	tradCongo
	nTraditions
)

// The tables below were written for this generator from common knowledge
// of naming in the regions (Somali, Sudanese and Chadian Arabic, Dinka and
// Nuer, Congolese and Great Lakes names). A line reads
// canonical|en spellings|fr spellings|so spellings|ar spelling|nicknames;
// an empty style falls back to the English spellings, an empty Arabic
// spelling means the name is written in Latin letters even by an
// Arabic-script writer.
var (
	// Arabic-origin male names used by Somali and Arabic-speaking families.
	muslimMale = parse(`
Mohamed|Mohamed,Mohammed,Muhammad,Mohamad,Mohammad|Mahamat,Mouhamed,Mohamed|Maxamed|محمد|Moha,Hamada,Hamoudi
Ahmed|Ahmed,Ahmad|Ahmat,Ahmed|Axmed|أحمد|Hamada
Ali|Ali|Ali|Cali|علي|Aliyow
Hassan|Hassan,Hasan|Hassane,Hassan|Xasan|حسن|Hassanow
Abdullahi|Abdullahi,Abdullah,Abdallah|Abdoulaye,Abdallah|Cabdullaahi|عبد الله|Abdi,Dullah
Omar|Omar,Umar|Oumar,Omar|Cumar|عمر|
Yusuf|Yusuf,Yousuf,Yusef|Youssouf,Youssef|Yuusuf|يوسف|Yusi
Ibrahim|Ibrahim|Brahim,Ibrahima,Ibrahim|Ibraahim|إبراهيم|Ibro,Ibra
Osman|Osman,Othman,Usman|Ousmane,Osman|Cismaan|عثمان|
Abdirahman|Abdirahman,Abdulrahman,Abdurahman|Abderrahmane,Abdourahmane|Cabdiraxmaan|عبد الرحمن|Abdi,Rahman
Hussein|Hussein,Hussain,Husein|Houssein,Hussein|Xuseen|حسين|
Mohamud|Mohamud,Mahmoud,Mahmud|Mahamoud,Mahmoud|Maxamuud|محمود|Hamoudi
Abdulkadir|Abdulkadir,Abdikadir,Abdulqadir|Abdelkader|Cabdulqaadir|عبد القادر|Abdi,Kadir
Ismail|Ismail,Ismael|Smail,Ismaël|Ismaaciil|إسماعيل|
Said|Said,Saeed|Saïd,Said|Siciid|سعيد|
Musa|Musa,Moussa|Moussa|Muuse|موسى|
Issa|Issa,Isa|Issa|Ciise|عيسى|
Khalid|Khalid,Khaled|Khaled|Khaalid|خالد|
Mustafa|Mustafa,Mustapha|Moustapha|Mustafe|مصطفى|
Bashir|Bashir,Basheer|Bachir,Béchir|Bashiir|بشير|
Hamza|Hamza|Hamza|Xamza|حمزة|
Abdiaziz|Abdiaziz,Abdulaziz|Abdelaziz|Cabdicasiis|عبد العزيز|Aziz
Abdikarim|Abdikarim,Abdulkarim|Abdelkarim|Cabdikariim|عبد الكريم|Karim
Suleiman|Suleiman,Sulaiman|Souleymane|Suleymaan|سليمان|
Idris|Idris|Idriss|Idiris|إدريس|
Yasin|Yasin,Yassin|Yacine,Yassine|Yaasiin|ياسين|
Sharif|Sharif|Chérif,Cherif|Shariif|شريف|
Salah|Salah|Salah|Salaax|صلاح|
Saleh|Saleh,Salih|Saleh|Saalax|صالح|
Dahir|Dahir,Daher|Tahir,Dahir|Daahir|ظاهر|
Nasir|Nasir,Nasser|Nacer,Nasser|Naasir|ناصر|
Rashid|Rashid|Rachid|Rashiid|رشيد|
Jibril|Jibril|Djibril|Jibriil|جبريل|
Zakaria|Zakaria,Zakariya|Zakaria|Sakariye|زكريا|
Abdirashid|Abdirashid,Abdulrashid|Abderrachid|Cabdirashiid|عبد الرشيد|Rashid
Abdinasir|Abdinasir,Abdulnasir|Abdelnasser|Cabdinaasir|عبد الناصر|
Abdifatah|Abdifatah,Abdulfatah|Abdelfattah|Cabdifataax|عبد الفتاح|
Hamid|Hamid,Hamed|Hamid|Xaamid|حامد|
Abbas|Abbas|Abbas|Cabaas|عباس|
Adam|Adam,Adan,Aden|Adam|Aadan|آدم|
Haroun|Haroun,Harun|Haroun|Haaruun|هارون|
Anwar|Anwar|Anouar|Anwar|أنور|
Younis|Younis,Yunus|Younous|Yuunis|يونس|
Sadiq|Sadiq,Sadik|Sadek|Saadiq|صادق|
Tayeb|Tayeb,Tayib|Tayeb|Dayib|الطيب|
Bakri|Bakri|Bakri|Bakri|بكري|
Hashim|Hashim,Hashem|Hachim|Xaashim|هاشم|
Jamal|Jamal|Djamal|Jamaal|جمال|
`)
	// Somali-only male names (not used by the Arabic tradition).
	somaliMale = parse(`
Abdi|Abdi|Abdi|Cabdi|عبدي|
Farah|Farah|Farah|Faarax|فارح|
Nur|Nur,Noor|Nour|Nuur|نور|
Jama|Jama|Djama|Jaamac|جامع|
Hashi|Hashi|Hachi|Xaashi||
Warsame|Warsame|Warsamé|Warsame||
Elmi|Elmi|Elmi|Cilmi|علمي|
Guled|Guled|Gouled|Guuleed||
Mahad|Mahad|Mahad|Mahad||
Liban|Liban|Liban|Liibaan||
Abdiwali|Abdiwali|Abdiwali|Cabdiwali|عبد الولي|
Awil|Awil|Awil|Cawil||
Bile|Bile|Bilé|Bile||
Dalmar|Dalmar|Dalmar|Dalmar||
Gedi|Gedi|Guedi|Geedi||
Haji|Haji|Hadji|Xaaji|حاجي|
Shire|Shire|Chiré|Shire||
Duale|Duale|Douale|Duale||
Hirsi|Hirsi|Hirsi|Xirsi||
Samatar|Samatar|Samatar|Samatar||
`)
	muslimFemale = parse(`
Fatima|Fatima,Fatuma,Fathima|Fatimé,Fatouma,Fatime|Faadumo,Fadumo|فاطمة|Fato,Fatu
Amina|Amina,Aminah|Amina,Aminata|Aamina|آمنة|Ami
Halima|Halima,Halimo|Halimé,Halima|Xaliimo|حليمة|
Khadija|Khadija,Hadija,Khadijah|Khadidja,Kadidja|Khadiijo|خديجة|Dija
Aisha|Aisha,Asha,Ayesha|Aïcha,Aicha|Caasha|عائشة|Ashu
Mariam|Mariam,Maryam,Maryan|Mariam,Mariama|Maryan|مريم|Mimi
Zahra|Zahra,Sahra|Zahra|Sahra|زهرة|
Hawa|Hawa,Hawo|Hawa|Xaawo|حواء|
Safiya|Safiya,Safia|Safia|Saafiya|صفية|
Rahma|Rahma|Rahma|Raxmo|رحمة|
Sumaya|Sumaya,Sumaiya|Soumaya|Sumaya|سمية|
Leyla|Leyla,Layla,Laila|Leïla|Leyla|ليلى|
Naima|Naima|Naïma|Nacima|نعيمة|
Yasmin|Yasmin,Yasmine|Yasmine|Yaasmiin|ياسمين|
Anisa|Anisa|Anissa|Aniisa|أنيسة|
Ruqia|Ruqia,Ruqayya|Rokia|Ruqiya|رقية|
Najma|Najma|Nadjma|Najmo|نجمة|
Salma|Salma|Salma|Salma|سلمى|
Huda|Huda,Houda|Houda|Huda|هدى|
Asma|Asma,Asmaa|Asmaa|Asma|أسماء|
Hafsa|Hafsa|Hafsa|Xafsa|حفصة|
Zainab|Zainab,Zeinab|Zeinabou,Zeinab|Seynab|زينب|
Sara|Sara,Sarah|Sarah|Saara|سارة|
Nura|Nura,Noura|Noura|Nuura|نورة|
Samira|Samira|Samira|Samiira|سميرة|
Muna|Muna|Mouna|Muna|منى|
Nasra|Nasra|Nasra|Nasra|نصرة|
Kowsar|Kowsar,Kawsar|Kaoutar|Kowsar|كوثر|
Zamzam|Zamzam|Zamzam|Samsam|زمزم|
Habiba|Habiba|Habiba|Xabiiba|حبيبة|
`)
	somaliFemale = parse(`
Hodan|Hodan|Hodane|Hodan||
Sado|Sado,Saado|Sado|Saado||
Ayan|Ayan,Ayaan|Ayane|Ayaan||
Ifrah|Ifrah,Ifra|Ifrah|Ifraax||
Ikran|Ikran|Ikrane|Ikraan||
Fartun|Fartun|Fartoun|Fartuun||
Deqa|Deqa|Dega|Deeqa||
Hibo|Hibo|Hibo|Hibo||
Ubah|Ubah|Oubah|Ubax||
Sagal|Sagal|Sagal|Sagal||
Nimco|Nimo,Nimco|Nimo|Nimco||
Shukri|Shukri|Choukri|Shukri|شكري|
Faisa|Faisa|Faïssa|Faysa||
Ladan|Ladan|Ladane|Ladan||
Istahil|Istahil|Istahil|Istaahil||
Idil|Idil|Idil|Idil||
Hamdi|Hamdi|Hamdi|Xamdi|حمدي|
Filsan|Filsan|Filsane|Filsan||
Ebla|Ebla|Ebla|Ebla||
Qamar|Qamar,Kamar|Kamar|Qamar|قمر|
`)
	// Dinka and Nuer names (South Sudan); a few are also written in Arabic
	// script in Sudan.
	sudanMale = parse(`
Deng|Deng|Deng|Deng|دينق|
Garang|Garang,Garaang|Garang|Garang|قرنق|
Akol|Akol|Akol|Akol|أكول|
Majok|Majok,Majook|Majok|Majok||
Kuol|Kuol,Kwol|Kuol|Kuol||
Bol|Bol|Bol|Bol|بول|
Chol|Chol,Col|Chol|Chol||
Mayen|Mayen|Mayen|Mayen||
Machar|Machar,Machaar|Machar|Machar|مشار|
Ajak|Ajak|Ajak|Ajak||
Malual|Malual,Maluol|Malual|Malual||
Manyang|Manyang|Manyang|Manyang||
Makuei|Makuei,Makuey|Makuei|Makuei||
Atem|Atem|Atem|Atem||
Dut|Dut,Duot|Dut|Dut||
Akech|Akech,Akec|Akech|Akech||
Thon|Thon|Thon|Thon||
Kiir|Kiir,Kir|Kiir|Kiir|كير|
Lual|Lual|Lual|Lual||
Mading|Mading|Mading|Mading||
Ayuel|Ayuel|Ayuel|Ayuel||
Gatluak|Gatluak,Gatluok|Gatluak|Gatluak||
Ruot|Ruot|Ruot|Ruot||
Riek|Riek,Riak|Riek|Riek||
Tut|Tut|Tut|Tut||
Koang|Koang,Kuong|Koang|Koang||
Nhial|Nhial,Nyial|Nhial|Nhial||
Gatkuoth|Gatkuoth|Gatkuoth|Gatkuoth||
Majak|Majak|Majak|Majak||
Anyang|Anyang|Anyang|Anyang||
`)
	sudanFemale = parse(`
Nyandeng|Nyandeng,Nyandeeng|Nyandeng|Nyandeng||
Achol|Achol,Acol|Achol|Achol||
Ayen|Ayen|Ayen|Ayen||
Abuk|Abuk|Abuk|Abuk||
Nyibol|Nyibol|Nyibol|Nyibol||
Adut|Adut|Adut|Adut||
Akuol|Akuol,Akwol|Akuol|Akuol||
Aluel|Aluel|Aluel|Aluel||
Nyakuoth|Nyakuoth|Nyakuoth|Nyakuoth||
Nyaruot|Nyaruot|Nyaruot|Nyaruot||
Nyabol|Nyabol|Nyabol|Nyabol||
Ajok|Ajok|Ajok|Ajok||
Athieng|Athieng,Athiang|Athieng|Athieng||
Awut|Awut|Awut|Awut||
Yar|Yar|Yar|Yar||
Ayak|Ayak|Ayak|Ayak||
Nyanut|Nyanut|Nyanut|Nyanut||
Amer|Amer|Amer|Amer||
Nyaluak|Nyaluak|Nyaluak|Nyaluak||
Nyamal|Nyamal|Nyamal|Nyamal||
`)
	// Christian given names (South Sudan, Congo and the Great Lakes).
	christianMale = parse(`
John|John|Jean,John|John|جون|Johnny
Joseph|Joseph|Joseph|Joseph||Jojo
Emmanuel|Emmanuel,Emanuel|Emmanuel|Emmanuel||Manu,Emma
Peter|Peter|Pierre,Peter|Peter|بيتر|Pete
James|James|Jacques,James|James||
Patrick|Patrick|Patrick|Patrick||Pato
David|David|David|David||
Daniel|Daniel|Daniel|Daniel||Dani
Samuel|Samuel|Samuel|Samuel||Sam
Paul|Paul|Paul|Paul||
Moses|Moses|Moïse,Moise|Moses||
Joshua|Joshua|Josué,Josue|Joshua||
Michael|Michael|Michel,Michael|Michael|مايكل|Mike
Gabriel|Gabriel|Gabriel|Gabriel||Gabi
Dieudonne|Dieudonne|Dieudonné|Dieudonne||Dido
Fiston|Fiston|Fiston|Fiston||
Blaise|Blaise|Blaise|Blaise||
Exauce|Exauce|Exaucé|Exauce||
Gloire|Gloire|Gloire|Gloire||
Christian|Christian|Christian|Christian||Chris
Isaac|Isaac|Isaac|Isaac||
Simon|Simon|Simon|Simon||
Stephen|Stephen,Steven|Étienne,Stephane|Stephen||Steve
Andrew|Andrew|André,Andre|Andrew||
`)
	christianFemale = parse(`
Mary|Mary,Marie|Marie,Mary|Mary|ماري|
Grace|Grace|Grâce,Grace|Grace||Gracia
Rebecca|Rebecca,Rebeca|Rébecca|Rebecca||Becky
Elizabeth|Elizabeth|Élisabeth,Elisabeth|Elizabeth||Eliza,Betty
Esther|Esther|Esther|Esther||
Martha|Martha|Marthe|Martha||
Christine|Christine|Christine|Christine||Christa
Esperance|Esperance|Espérance|Esperance||Espe
Chantal|Chantal|Chantal|Chantal||
Divine|Divine|Divine|Divine||
Merveille|Merveille|Merveille|Merveille||
Rachel|Rachel|Rachel|Rachel||
Ruth|Ruth|Ruth|Ruth||
Deborah|Deborah|Débora,Deborah|Deborah||Debbie
Naomi|Naomi|Naomie|Naomi||
Alice|Alice|Alice|Alice||
Francine|Francine|Francine|Francine||
Jeanne|Joan|Jeanne|Joan||
Claudine|Claudine|Claudine|Claudine||
Angela|Angela|Angèle,Angela|Angela||Angie
`)
	// Congolese and Great Lakes family names (the second part of a name).
	congoFamily = parse(`
Mukendi|Mukendi|Moukendi,Mukendi|Mukendi||
Ilunga|Ilunga|Ilounga,Ilunga|Ilunga||
Tshibangu|Tshibangu,Chibangu|Tshibangu|Tshibangu||
Mbuyi|Mbuyi|Mbuyi|Mbuyi||
Kalonji|Kalonji|Kalonji|Kalonji||
Kasongo|Kasongo|Kasongo|Kasongo||
Mwamba|Mwamba|Mwamba|Mwamba||
Kabamba|Kabamba|Kabamba|Kabamba||
Mutombo|Mutombo|Moutombo,Mutombo|Mutombo||
Banza|Banza|Banza|Banza||
Kazadi|Kazadi|Kazadi|Kazadi||
Ngoy|Ngoy,Ngoyi|Ngoy|Ngoy||
Kalala|Kalala|Kalala|Kalala||
Mulumba|Mulumba|Moulumba,Mulumba|Mulumba||
Kanku|Kanku|Kankou,Kanku|Kanku||
Nsimba|Nsimba|Nsimba|Nsimba||
Lusamba|Lusamba|Lousamba,Lusamba|Lusamba||
Kayembe|Kayembe|Kayembé|Kayembe||
Ntumba|Ntumba|Ntoumba,Ntumba|Ntumba||
Kabeya|Kabeya|Kabeya|Kabeya||
Bahati|Bahati|Bahati|Bahati||
Baraka|Baraka|Baraka|Baraka||
Amani|Amani|Amani|Amani||
Habimana|Habimana|Habimana|Habimana||
Niyonzima|Niyonzima|Niyonzima|Niyonzima||
Uwimana|Uwimana|Uwimana|Uwimana||
Hakizimana|Hakizimana|Hakizimana|Hakizimana||
Ndayisaba|Ndayisaba|Ndayisaba|Ndayisaba||
Bizimana|Bizimana|Bizimana|Bizimana||
Nshimirimana|Nshimirimana|Nshimirimana|Nshimirimana||
Mugisha|Mugisha|Mugisha|Mugisha||
Byamungu|Byamungu|Byamungu|Byamungu||
`)
	// Nicknames that describe the child rather than shorten a name.
	somaliDescriptive = []string{"Yare", "Dheere", "Cadde", "Gaab", "Madoobe", "Weyne", "Shiine"}
)

func parse(table string) []name {
	var out []name
	for _, line := range strings.Split(strings.TrimSpace(table), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 6 {
			panic(fmt.Sprintf("synthetic: bad name line %q", line))
		}
		n := name{canonical: f[0]}
		for s := range nStyles {
			if f[s+1] != "" {
				n.spell[s] = strings.Split(f[s+1], ",")
			}
		}
		if n.spell[English] == nil {
			panic("synthetic: no English spelling for " + f[0])
		}
		if f[5] != "" {
			n.nick = strings.Split(f[5], ",")
		}
		out = append(out, n)
	}
	return out
}
