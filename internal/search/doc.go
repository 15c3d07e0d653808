// Package search holds the rules of the conversation search (issue 17) that need no
// database, shared by both stores and the desk:
//
//   - Words. A text is split into words: runs of letters and digits (combining marks are
//     dropped, the text being in NFC first), folded to lower case with ё as е. Anything else
//     separates words, so «заказ-4512» and "anna@mail.ru" are two and three words.
//   - Stems. A word of Cyrillic letters is stemmed by the Snowball Russian stemmer, one of
//     Latin letters by the Snowball English stemmer (github.com/kljensen/snowball); a word
//     with digits or of another script is kept whole. Stop words of either language
//     («и», «не», "the") are not indexed and not searched. So «заказ», «заказа» and
//     «заказы» are one stem, and so are «доставка» and «доставку».
//   - The SQLite index. FTS5 tokenizers cannot be written in Go for modernc's SQLite, so
//     the index holds a stemmed copy of each message: IndexTerms turns a text into its stems
//     separated by spaces, each prefixed by the account ("12xзаказ"), and FTS5's unicode61
//     tokenizer only splits them. A query is stemmed the same way (Query.FTS5). The
//     account prefix keeps every account's words apart in the index itself.
//   - PostgreSQL indexes the same folded text with its own `russian` configuration (Snowball
//     Russian for Cyrillic words, English for ASCII ones): Query.Plain and Query.Phrases are
//     what its plainto_tsquery and phraseto_tsquery take.
//   - Queries. Parse splits a query into terms: each word outside quotes, and each "phrase
//     in quotes" (its words adjacent, in order). Every term must match (AND). A query that
//     is only a number (#4512 or 4512) also names a conversation by id. Visitor fields are
//     matched by substring: VisitorWords are the query's words of at least 3 characters
//     (trigram indexes), PhoneDigits its digits when it looks like a phone number.
//   - Snippets. Highlight cuts a window of a message around its first matching word and
//     marks every word whose stem the query searches; HighlightSubstrings marks substrings
//     in a visitor's name, email or phone.
package search
