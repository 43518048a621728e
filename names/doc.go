// Package names compares personal names across the spellings and scripts
// that caseworkers use: the same child is "Mohamed" to a Somali
// registration, "Mouhamed" to a French-speaking colleague in Chad and "محمد"
// to an Arabic-speaking one. It serves the phonetic name search of records
// (a GIN-indexed text[] column of keys) and the name comparison levels and
// blocking keys of family tracing (FTR) matching. It is pure Go, reads no
// configuration and keeps no state.
//
// # Folding and tokens
//
// Fold gives the form for exact comparison: NFKD, marks removed (Latin
// diacritics and Arabic harakat), lower case, Arabic letter variants unified
// (أ إ آ → ا, ى → ي, ة → ه, tatweel removed), punctuation as single spaces.
// Tokens splits a folded name into parts and handles the Arabic naming
// particles: ʿAbd and Abu compounds become one token whatever the spacing
// ("Abdul Rahman", "Abdirahman", "عبد الرحمن"), -din compounds too, and
// articles and patronymic particles (al, bin, ould, بن) are dropped.
//
// # Phonetic keys
//
// Keys gives a few short ASCII keys per token; two spellings of a name share
// one. Arabic script writes consonants and long vowels but no short vowel,
// while Latin spellings write every vowel and disagree on them (Mohamed,
// Muhammad, Mouhamed). A key is therefore built from what both agree on:
//
//   - consonant classes, one per sound that transliterations spell
//     differently (kh = h = خ ح ه; th = s = ث س ص; j = dj = z = dh = ج ز ذ ظ;
//     ph = v = f; q = k = c; sh = French ch = ش), a consonant written twice
//     counted once;
//   - V when the token begins with a vowel (Ahmed is not Hamid), where
//     Arabic has ا, ع or أ; a Latin token that begins with two consonants
//     (Brahim, Smail) may have lost that vowel and gets keys with and
//     without it;
//   - the vowel of the last syllable of a token that ends in a consonant,
//     when it is long: U for u or o, I for a vowel digraph or ي (Mahmoud and
//     محمود give MHMUD, Mohamed and محمد give MHMD, Hussein and حسين give
//     HSIN, Hassan and حسن give HSN). A single Latin i or e there may be
//     long or short (Hamid is حميد or حامد) and gives both keys; a u after a
//     syllable with a u is short (Yusuf, Youssouf = يوسف, YSF);
//   - the class of a final vowel: A, I or U (Ali and علي give VLI, Alia and
//     عالية VLA, Fatima and فاطمة FTMA). A French final e is silent
//     (Ousmane = Osman); a final h after a vowel may be silent (Fatimah) and
//     a final ه may be a ta marbuta (فاطمه): both readings give keys. A
//     final t after a vowel may write d (Chadian Mahamat, Turkish Mehmet):
//     the token also gets the keys read with d.
//
// A Latin token in Somali orthography (x for ح, c for ع, doubled long
// vowels: Maxamed, Cabdiraxmaan) is also read respelled, and with d as ط
// (Faadumo = Fatima), and gets the keys of every reading. Any Latin token
// with z is also read with s, and one with an initial c before a vowel
// also without it, as Somali writes ز and ع (Seynab = Zainab, Cumar =
// Omar). An Arabic-script token is also read as a name of another
// language, which Arabic writes without p or hard g: ب as p and ق as g
// (Peter بيتر, Garang قرنق), except ʿAbd and -din compounds and tokens with
// the joined article, which are Arabic names; and ز as س (Somali s). ʿAbd
// compounds drop their article (Abdulrahman and Abderrahmane give VBDRHMN)
// and every ʿAbd-Allah spelling gives VBDLH. Languages' forms of a
// Christian given name (Jean and جون for John, Pierre for Peter:
// equivalentNames) also get the keys of the group's first form.
// KeysVersion changes whenever any key would change, so that stored keys
// are recomputed.
//
// # Similarity, ranking and comparison levels
//
// Similarity is string similarity alone: each token of the shorter name is
// paired with a distinct token of the other (best pairs first) and a pair
// scores the Jaro-Winkler similarity of the transliterated tokens; a Latin
// token facing an Arabic one is also compared as the skeleton Arabic would
// write of it. Score, for ranking search results, lifts token pairs that
// share a key to at least KeyFloor and holds the others below it, so every
// spelling variant ranks above every merely similar name. Compare gives the
// levels of record linkage: Exact, Phonetic, Close (Similarity ≥
// CloseThreshold), Similar (≥ SimilarThreshold), Different, Missing. Parse a
// name once to compare it with many.
//
// # Limits
//
// Names that differ only in short vowels or in where a long vowel falls meet
// (Omar and Amr, Salah and Saleh, Hamid and Hammad); spellings outside the
// rules miss (Somali Fadumo without another sign of Somali spelling,
// Chadian Halimé, Kadidja for Khadija, مصطفي written with ي). docs/names.md lists the measured collisions and misses.
package names
