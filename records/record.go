package records

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/cpims-hosted/cpims/policy"
)

// Record types.
const (
	TypeCase           = "case"
	TypeTracingRequest = "tracing_request"
	TypeIncident       = "incident"
)

// Types lists the record types.
var Types = []string{TypeCase, TypeTracingRequest, TypeIncident}

// TraceSubform is the subform of a tracing request whose rows are traces.
const TraceSubform = "tracing_request_subform_section"

// CoreAttributes are the record attributes that are not configured fields:
// they sit beside the fields in a record's JSON object, so no field may
// take their names (package forms refuses them). Clients may set id,
// module_id and hidden_name on create and hidden_name on update; the others
// are the server's (sent back unchanged in an update body, they are
// ignored).
var CoreAttributes = []string{
	"id", "short_id", "record_type", "module_id", "status", "workflow", "record_state",
	"owned_by", "owned_by_agency_id", "associated_user_ids", "created_by", "created_at",
	"updated_by", "updated_at", "version", "flagged", "hidden_name", "case_id", "incident_ids",
	// In the history of workflow changes (package workflow).
	"transition",
	// A case's approval status per type (package workflow, approvals).
	"approval_status_assessment", "approval_status_case_plan", "approval_status_closure", "approval_status_action_plan",
	"approval_status_gbv_closure",
}

// ApprovalTypes are the types of approval a case may ask for; a case's
// status of each is approval_status_<type> on the wire.
var ApprovalTypes = []string{"assessment", "case_plan", "closure", "action_plan", "gbv_closure"}

func isCoreAttribute(name string) bool { return slices.Contains(CoreAttributes, name) }

// NameFields are the fields masked ("*****") when a record hides the
// child's name (hidden_name), for everyone but the owner and holders of
// <type>:view_hidden_name; in subform rows too (a tracing request's traces).
var NameFields = []string{"name_first", "name_middle", "name_last", "name_nickname", "name_other"}

// HiddenNameMask replaces the value of a hidden name.
const HiddenNameMask = "*****"

// Record is a case, tracing request or incident as a caller may see it.
type Record struct {
	ID         string
	ShortID    string
	RecordType string
	ModuleID   string
	Status     string
	Workflow   string
	// Enabled is record_state on the wire.
	Enabled bool
	Flagged bool
	// HiddenName masks the name fields for everyone but the owner and
	// holders of <type>:view_hidden_name.
	HiddenName bool
	// OwnerID is the owning user's (or service account's) id; OwnedBy its
	// email (or name) and OwnedByAgency its agency's unique_id.
	OwnerID       string
	OwnedBy       string
	OwnedByAgency string
	// AssociatedUserIDs: the owner and the assigned users.
	AssociatedUserIDs []string
	CreatedBy         string
	CreatedAt         time.Time
	UpdatedBy         string
	UpdatedAt         time.Time
	Version           int64
	// CaseID: for an incident created from a case, that case's id.
	CaseID string
	// IncidentIDs: for a case, the incidents created from it.
	IncidentIDs []string
	// Data holds the configured fields the caller may read.
	Data Data
	// ApprovalStatus is a case's current status per approval type
	// (requested, approved, rejected); a type never requested is absent.
	ApprovalStatus map[string]string
}

// MarshalJSON writes the record as one flat object: core attributes and
// field values side by side (docs/records.md).
func (r Record) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(r.Data)+20)
	for k, v := range r.Data {
		m[k] = v
	}
	m["id"] = r.ID
	m["short_id"] = r.ShortID
	m["record_type"] = r.RecordType
	m["module_id"] = r.ModuleID
	m["status"] = r.Status
	m["workflow"] = r.Workflow
	m["record_state"] = r.Enabled
	m["flagged"] = r.Flagged
	m["hidden_name"] = r.HiddenName
	m["owned_by"] = r.OwnedBy
	m["owned_by_agency_id"] = r.OwnedByAgency
	m["associated_user_ids"] = nonNil(r.AssociatedUserIDs)
	m["created_by"] = r.CreatedBy
	m["created_at"] = r.CreatedAt
	m["updated_by"] = r.UpdatedBy
	m["updated_at"] = r.UpdatedAt
	m["version"] = r.Version
	switch r.RecordType {
	case TypeCase:
		m["incident_ids"] = nonNil(r.IncidentIDs)
		for t, st := range r.ApprovalStatus {
			m["approval_status_"+t] = st
		}
	case TypeIncident:
		if r.CaseID != "" {
			m["case_id"] = r.CaseID
		} else {
			m["case_id"] = nil
		}
	}
	return json.Marshal(m)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Trace is a row of a tracing request's trace subform, addressable on its
// own: its fields the caller may read, its id (the row's unique_id) and its
// tracing request.
type Trace struct {
	ID               string
	TracingRequestID string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Data             Data
	// MatchedCaseID is the case a reviewer confirmed as the child the trace
	// seeks (FTR matching), or "".
	MatchedCaseID string
}

// MarshalJSON writes the trace as one flat object: id, tracing_request_id,
// created_at, updated_at, matched_case_id (null until a match is
// confirmed) and the row's fields.
func (t Trace) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(t.Data)+4)
	for k, v := range t.Data {
		if k != "unique_id" {
			m[k] = v
		}
	}
	m["id"] = t.ID
	m["tracing_request_id"] = t.TracingRequestID
	m["created_at"] = t.CreatedAt
	m["updated_at"] = t.UpdatedAt
	m["matched_case_id"] = nil
	if t.MatchedCaseID != "" {
		m["matched_case_id"] = t.MatchedCaseID
	}
	return json.Marshal(m)
}

// HistoryEntry is one write of a record: who, when, and each change.
type HistoryEntry struct {
	Version   int64     `json:"version"`
	ChangedAt time.Time `json:"datetime"`
	// UserName is the writer's email (a service account's name, or a
	// system actor's name) at the time.
	UserName string        `json:"user_name"`
	Action   string        `json:"action" enum:"create,update,disable,enable,attachment_added,attachment_removed,assign,referral,transfer,transfer_request"`
	Changes  []FieldChange `json:"record_changes"`
}

// permissions of one record type.
type typePerms struct {
	read, write, history, disable, erase, viewHidden policy.Permission
}

var resources = map[string]string{TypeCase: "cases", TypeTracingRequest: "tracing_requests", TypeIncident: "incidents"}

func permsOf(recordType string) typePerms {
	r := resources[recordType]
	return typePerms{
		read:       policy.Permission{Resource: r, Action: "read"},
		write:      policy.Permission{Resource: r, Action: "write"},
		history:    policy.Permission{Resource: r, Action: "history"},
		disable:    policy.Permission{Resource: r, Action: "disable"},
		erase:      policy.Permission{Resource: r, Action: "erase"},
		viewHidden: policy.Permission{Resource: r, Action: "view_hidden_name"},
	}
}
