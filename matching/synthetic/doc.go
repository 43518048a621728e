// Package synthetic generates labelled test data for family tracing
// matching: a population of families (Somali, Arabic, South Sudanese and
// Congolese naming traditions), their separated children registered as
// cases (or not), and tracing requests from parents and relatives with one
// trace per child sought, each trace knowing which case (if any) is its
// child. Registrations and traces are written by different caseworkers,
// with the distortions of real data: spelling variants per writing style
// (English, French, Somali orthography, Arabic script), typos, missing,
// swapped and nickname-only name parts, estimated dates of birth and ages
// off by years, remembered dates, coarser or neighbouring places, missing
// and wrong values. Profile A and Profile B differ in population and in
// every distortion rate; requests are split into an estimation part and a
// held-out evaluation part.
//
// The name tables were written for this package; nothing in it comes from
// another project's data.
package synthetic
