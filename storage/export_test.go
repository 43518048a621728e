package storage

// SetPageSize makes DeletePrefix and List list n keys per page, to test paging.
func SetPageSize(s *Store, n int32) { s.page = n }
