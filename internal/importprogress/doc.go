// Package importprogress records how far a background import has got, for
// the import status endpoints (locations and translations imports): the
// import's own transaction writes its row only at its end, so progress is
// committed apart, in small transactions of its own, and readers see it
// while the import runs.
package importprogress
