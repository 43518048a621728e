// Package e2e tests the built cpims binary as the hosting team and clients
// use it: the CLI against a real PostgreSQL, and the server over real HTTP.
// (A client generated from the OpenAPI spec joins it when the frontend does.)
package e2e
