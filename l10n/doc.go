// Package l10n is the server's own catalogue of texts in several languages:
// the problems the API answers with (their titles, details and field
// errors) and the emails it sends (package notify), kept as gettext PO files embedded in the binary (po/*.po, with
// po/messages.pot their source), so that translators edit them with the same
// tools as the tenants' own texts (docs/translations.md, "Server catalogue").
//
// A text is addressed by its context (msgctxt, e.g. "problem:not_found" or
// "error:max_length") and its English source (msgid), whose placeholders
// ({max}, {count}) are filled from the parameters the code gives. The English
// text is what the code writes; Translate returns the text in another
// language only when the catalogue's source, filled in, is that very text:
// a source that changed in the code without its catalogue stays English
// rather than saying something else. Text returns a text by its context
// alone (the emails' parts), from the source file when untranslated.
//
// Languages: English (the source), French, Spanish and Arabic. Any other
// language falls back to English.
package l10n
