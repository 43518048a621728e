package forms

// SetUsage replaces the records-use check of s (tests of refusals that
// need records, which do not exist yet).
func (s *Service) SetUsage(fn UsageFunc) { s.usage = fn }
