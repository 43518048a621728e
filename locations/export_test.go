package locations

// ListQueries exposes List's queries to the tests (EXPLAIN).
var ListQueries = listQueries
