// Package devices owns the registry of devices: browsers that keep an offline
// copy of a person's records (docs/frontend.md "Offline", docs/devices.md).
//
// A person registers their browser when they opt in to keep records on it and
// gets a random 256-bit device key, which the server keeps and releases again
// only to that person's signed-in browser (the API checks the session cookie).
// Revoking a device (its owner, an administrator, or disabling the user: a
// trigger of table users) stops the release for good.
//
// # Keys at rest
//
// Device keys are never stored in clear: each is sealed with AES-256-GCM under
// a key derived from an instance secret that is not in the database (a
// Keyring, configured with --device-key-secret), with the tenant and the
// device id as associated data, so a sealed key copied to another row or
// tenant does not open. The secret's id is stored beside each sealed key: a
// Keyring holds the current secret (which seals) and older ones (which only
// open), and Service.Reseal re-seals a tenant's keys with the current one.
// Keys stored in clear before this (migration device_keys_sealed) are sealed
// by Reseal and, failing that, at their first release.
//
// Service is the entry point for the API and the cpims command: it checks the
// caller's permission (devices:write_self, devices:read, devices:write; the
// named system actor device_sealer for Reseal) and runs each use case in one
// tenant transaction (tenancy.Platform.Tx) with its audit row.
package devices
