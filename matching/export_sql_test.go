package matching

// CandidateSQL is the product's candidate query (candidateSQL), for the
// benchmark and tests that run it on a seeded tenant.
const CandidateSQL = candidateSQL

// CandidateStoreSQL is candidateStoreSQL.
var CandidateStoreSQL = candidateStoreSQL
