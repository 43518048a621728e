// Package demo fills a tenant with realistic synthetic data for
// demonstrations and benchmarks: `cpims demo seed` and the records
// benchmarks. Cases get multilingual names in Latin and Arabic script
// (spelling variants of the same names, as caseworkers of several countries
// write them), families, services, ages, locations from the tenant's
// hierarchy, owners across agencies and user groups; a share of tracing
// requests carries the children sought. Generation is deterministic (record
// n of a seed is always the same record), so a seed interrupted and run again
// continues where it stopped. Records are written in batches through
// records.Service.CreateBatch, one tenant transaction per batch, as the
// named system actor demo_seeder.
package demo
