// Package spell checks Russian and English chat text with Hunspell dictionaries, in pure Go.
//
// # Dictionaries
//
// Debian's hunspell-ru (ru_RU) and hunspell-en-us (en_US) are read at run time from
// /usr/share/hunspell (configurable), together with livedesk's own supplementary
// vocabulary (words/ru.dic, words/en.dic: support and e-commerce words, British spellings)
// written with the same affix flags. The parser covers what these two use — SET UTF-8,
// single-character flags (FLAG long, num and UTF-8 are parsed too), PFX/SFX with strip,
// append and conditions and cross products (re+color+ed), TRY, REP, ICONV (’ → '),
// NOSUGGEST, ONLYINCOMPOUND, COMPOUNDMIN and COMPOUNDRULE (English ordinals 21st, 102nd,
// 11th) — plus NEEDAFFIX, FORBIDDENWORD and KEY for neighbouring dictionaries. Continuation
// flags on affixes (twofold suffixes) are parsed but not applied: neither dictionary has any.
//
// # Lookup
//
// At load every stem is expanded with its affixes into all its surface forms (1.56 million
// for Russian, 0.17 million for English) and each form's lowercase spelling goes into a
// formSet: an open-addressing table of 32-bit slots holding 29 bits of a 64-bit hash and
// the form's case class (lowercase, Capitalised, or special: ALL CAPS or mixed, whose exact
// spellings are kept in a small map). A word is checked with one hash and, usually, one
// cache line; the case rules of Hunspell follow from the classes: a lowercase form is
// accepted lowercase, Capitalised and in capitals; a Capitalised one (Москва) not in
// lowercase; special ones (ЧПУ, iPhone) exactly or in capitals. Russian forms with ё are
// stored a second time with е, so text written with е is accepted. Words with a hyphen are
// accepted whole or when every part is (кто-нибудь, интернет-магазин).
//
// # Suggestions
//
// Candidates are the edits a fast-typing operator makes, each with a cost: a key pressed
// twice or a double letter typed once, swapped neighbours, a neighbouring key on ЙЦУКЕН or
// QWERTY, letters that sound alike (а/о, е/и, ш/щ …), е for ё, a missing space, a letter a
// few places off, the dictionary's REP pairs, then a second cheap edit on top of the first
// when the first round found too little. Every candidate is a formSet lookup, so tens of
// thousands are affordable. Scores add a bonus for words from the embedded lists of common
// support-chat words (words/*_common.txt) and a penalty for offering a proper name for a
// lowercase word; the case of the typed word is kept. Text typed in the wrong layout
// (ghbdtn → привет, руддщ → hello) and Latin look-alikes inside Cyrillic words (пpивет)
// are recognised before any edit.
//
// # Tokenising
//
// Tokenize splits chat text into words and leaves alone what is not prose: numbers and
// words with digits (order ids), URLs, domains, emails, @mentions, #hashtags, emoji.
// Checker.Check reports ranges in UTF-16 code units, as a browser textarea counts.
package spell
