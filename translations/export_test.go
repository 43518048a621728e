package translations

// LinguiID is linguiID for tests: the id Lingui gives a message without context.
func LinguiID(message string) string { return linguiID(message, "") }
