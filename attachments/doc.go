// Package attachments keeps the files (photos, audio recordings, documents)
// on records' upload fields: docs/attachments.md is its contract.
//
// A file is an object in S3 (package storage) under
// attachments/<record id>/<attachment id> of the tenant's prefix, a row of
// the tenant's attachments table, and an id in the list the record's upload
// field holds. Attachments are part of their record: reading them needs
// <type>:read and read access to the field's form, adding and removing them
// <type>:write and write access to it, and the record must be within the
// caller's scope (package records decides: records.Visible, records.Lock) and,
// to change, enabled. Adding or removing one is a new version of the record
// with its change log entry (records.SetFieldList), so merges of offline
// edits see it as any other change.
//
// Record writes themselves may only reorder an upload field's ids
// (records.UploadFieldsKept).
package attachments
