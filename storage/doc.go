// Package storage keeps the files of tenants (attachments, exports) in one S3
// bucket through aws-sdk-go-v2: AWS S3 in the cloud, versitygw on premises,
// in development and in tests.
//
// # Layout
//
// Every object of tenant <code> lives under TenantsPrefix + "<code>/" (or
// ExportsPrefix + "<code>/" for exports); the prefix is always added here
// from the tenant code, and keys are checked to be plain segments
// (letters, digits, ".", "_", "-"), so no key can reach another tenant's
// objects. Callers make keys themselves (e.g. "attachments/<record>/<id>"),
// never from a file name a user sent.
//
// # Uploads
//
// Put streams the body to the server, holding only its first SniffLen bytes
// in memory: they decide the type by content (Detect), which must match the
// declared type and be one of Config.Types. The size is checked before
// anything is read (Config.MaxSize) and the body must be exactly as long as
// declared. Refusals are the Err* values, for the caller to map to 4xx.
//
// # Downloads
//
// PresignGet returns a short-lived (Config.PresignTTL, 5 minutes by default)
// SigV4-presigned URL with Content-Disposition: attachment; the server refuses
// it once expired or if any part of it was changed.
//
// # Tenant purge
//
// DeletePrefix removes all objects of a tenant, page by page; the purge job
// calls it before the tenant's schema is dropped (see jobs.PurgeWorker).
package storage
