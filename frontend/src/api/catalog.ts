// Generated from api/openapi/tenant.yaml by frontend/scripts/gen.mjs: do not edit.
/** One resource of the policy catalogue, with the actions a role may be granted on it. */
export interface CatalogResource {
  resource: string;
  description: string;
  actions: { action: string; description: string }[];
}

/** Every permission a tenant role may hold (policy/catalog.go). */
export const permissionCatalog: CatalogResource[] = [
  {
    "resource": "agencies",
    "description": "Organisations whose staff use the system",
    "actions": [
      {
        "action": "read",
        "description": "List and view agencies"
      },
      {
        "action": "write",
        "description": "Create and change agencies"
      }
    ]
  },
  {
    "resource": "alerts",
    "description": "What others changed on the records one owns",
    "actions": [
      {
        "action": "read",
        "description": "List one's alerts and mark them read"
      }
    ]
  },
  {
    "resource": "approvals",
    "description": "Approval requests across the cases within the record scope (the managers' queue)",
    "actions": [
      {
        "action": "read",
        "description": "List approval requests across cases, filtered by status, type and case"
      }
    ]
  },
  {
    "resource": "audit_logs",
    "description": "Who did what to which record, when",
    "actions": [
      {
        "action": "read",
        "description": "Search the audit log"
      }
    ]
  },
  {
    "resource": "cases",
    "description": "Children's cases",
    "actions": [
      {
        "action": "read",
        "description": "View cases within the role's record scope"
      },
      {
        "action": "write",
        "description": "Register and update cases within the record scope"
      },
      {
        "action": "assign",
        "description": "Assign cases to other users (within the role's record scope: group, agency or all)"
      },
      {
        "action": "refer",
        "description": "Refer cases to a user of this or another agency for a service (within the sharing protocol)"
      },
      {
        "action": "transfer",
        "description": "Transfer cases to a user of another agency (within the sharing protocol)"
      },
      {
        "action": "request_transfer",
        "description": "Ask the owner of a case to transfer it"
      },
      {
        "action": "consent_override",
        "description": "Refer or transfer a case without the child's recorded consent, giving a reason"
      },
      {
        "action": "approve",
        "description": "Approve or reject every type of approval request (assessment, case plan, closure, action plan, GBV closure) of cases owned by members of one's user groups"
      },
      {
        "action": "approve_assessment",
        "description": "Approve or reject assessment approval requests (of cases owned by members of one's user groups)"
      },
      {
        "action": "approve_case_plan",
        "description": "Approve or reject case plan approval requests (of cases owned by members of one's user groups)"
      },
      {
        "action": "approve_closure",
        "description": "Approve or reject closure approval requests (of cases owned by members of one's user groups)"
      },
      {
        "action": "approve_action_plan",
        "description": "Approve or reject action plan approval requests (of cases owned by members of one's user groups)"
      },
      {
        "action": "approve_gbv_closure",
        "description": "Approve or reject GBV closure approval requests (of cases owned by members of one's user groups)"
      },
      {
        "action": "flag",
        "description": "Flag cases within the record scope and resolve their flags"
      },
      {
        "action": "add_note",
        "description": "Add notes to cases within the record scope (author and date set by the server; notes are never changed)"
      },
      {
        "action": "close",
        "description": "Close open cases within the record scope (with a reason; after an approved closure when the module requires it)"
      },
      {
        "action": "reopen",
        "description": "Reopen closed cases within the record scope"
      },
      {
        "action": "history",
        "description": "See a case's change log: who changed which field when, old and new values"
      },
      {
        "action": "disable",
        "description": "Disable and enable cases"
      },
      {
        "action": "erase",
        "description": "Erase a disabled case for good, with everything that holds the child's data (registered by mistake, a right-to-erasure request); the audit log keeps who erased which id and why"
      },
      {
        "action": "view_hidden_name",
        "description": "See the names of children whose case hides them (the owner always does)"
      }
    ]
  },
  {
    "resource": "configuration",
    "description": "The whole configuration as one bundle (modules, lookups, forms, roles' form access)",
    "actions": [
      {
        "action": "read",
        "description": "Export the configuration bundle"
      },
      {
        "action": "write",
        "description": "Import a configuration bundle (dry run with a diff, then all or nothing)"
      }
    ]
  },
  {
    "resource": "dashboards",
    "description": "Aggregated indicators, no personal data",
    "actions": [
      {
        "action": "read",
        "description": "View dashboards"
      }
    ]
  },
  {
    "resource": "devices",
    "description": "Browsers that keep an offline copy, and the keys the server releases to open it",
    "actions": [
      {
        "action": "write_self",
        "description": "Register one's own devices, list them, unlock their offline copy (key release to one's signed-in browser) and revoke them"
      },
      {
        "action": "read",
        "description": "List the devices of users within the role's scope"
      },
      {
        "action": "write",
        "description": "Revoke the devices of users within the role's scope (e.g. a phone reported lost)"
      }
    ]
  },
  {
    "resource": "forms",
    "description": "Forms (sections) of fields per record type and module, and module options",
    "actions": [
      {
        "action": "read",
        "description": "View forms and modules, and check record data against them"
      },
      {
        "action": "write",
        "description": "Create, change and delete forms and their fields; change module options"
      }
    ]
  },
  {
    "resource": "incidents",
    "description": "Incidents affecting children",
    "actions": [
      {
        "action": "read",
        "description": "View incidents"
      },
      {
        "action": "write",
        "description": "Record and update incidents"
      },
      {
        "action": "history",
        "description": "See an incident's change log"
      },
      {
        "action": "flag",
        "description": "Flag incidents within the record scope and resolve their flags"
      },
      {
        "action": "disable",
        "description": "Disable and enable incidents"
      },
      {
        "action": "erase",
        "description": "Erase a disabled incident for good, with everything that holds its data; the audit log keeps who erased which id and why"
      },
      {
        "action": "view_hidden_name",
        "description": "See hidden names in incidents (the owner always does)"
      }
    ]
  },
  {
    "resource": "locations",
    "description": "Places: the country's hierarchy of admin areas, camps and sites",
    "actions": [
      {
        "action": "read",
        "description": "List and view locations (every member: forms offer location pickers)"
      },
      {
        "action": "write",
        "description": "Create, change, disable and import locations"
      }
    ]
  },
  {
    "resource": "lookups",
    "description": "Option lists of select fields",
    "actions": [
      {
        "action": "read",
        "description": "View lookups"
      },
      {
        "action": "write",
        "description": "Create, change and delete lookups"
      }
    ]
  },
  {
    "resource": "notifications",
    "description": "Email notifications of workflow events",
    "actions": [
      {
        "action": "read",
        "description": "List notification deliveries and their state (sent, queued, failed, opted out)"
      }
    ]
  },
  {
    "resource": "matching",
    "description": "Family tracing matching: which fields compare, thresholds, prior, re-matching runs",
    "actions": [
      {
        "action": "read",
        "description": "View the matching configuration and re-matching runs"
      },
      {
        "action": "write",
        "description": "Change the matching configuration and start a full re-matching run"
      }
    ]
  },
  {
    "resource": "potential_matches",
    "description": "Cases that may be the child a trace seeks, with their probability and comparison",
    "actions": [
      {
        "action": "read",
        "description": "View potential matches of traces and cases within the record scope"
      },
      {
        "action": "review",
        "description": "Confirm or reject potential matches (a confirmation links the trace to the case)"
      },
      {
        "action": "match",
        "description": "Match traces with cases and store potential matches (the matching job)"
      }
    ]
  },
  {
    "resource": "reports",
    "description": "Aggregated reports, no personal data",
    "actions": [
      {
        "action": "read",
        "description": "Run reports"
      }
    ]
  },
  {
    "resource": "roles",
    "description": "Roles: permissions, record scope, form access, MFA",
    "actions": [
      {
        "action": "read",
        "description": "List and view roles"
      },
      {
        "action": "write",
        "description": "Create and change roles"
      }
    ]
  },
  {
    "resource": "service_accounts",
    "description": "Integration clients and their API keys",
    "actions": [
      {
        "action": "read",
        "description": "List service accounts and their keys (never the keys themselves)"
      },
      {
        "action": "write",
        "description": "Create service accounts, issue and revoke API keys"
      }
    ]
  },
  {
    "resource": "sharing_protocol",
    "description": "Which agencies may refer or transfer cases to which",
    "actions": [
      {
        "action": "read",
        "description": "View the information sharing protocol"
      },
      {
        "action": "write",
        "description": "Change the information sharing protocol"
      }
    ]
  },
  {
    "resource": "system_settings",
    "description": "Country-wide settings",
    "actions": [
      {
        "action": "write",
        "description": "Change the settings (reading them is public)"
      }
    ]
  },
  {
    "resource": "tasks",
    "description": "Due dates on the cases one owns or is assigned (assessment, case plan, follow-ups, services)",
    "actions": [
      {
        "action": "read",
        "description": "List one's upcoming and overdue tasks"
      }
    ]
  },
  {
    "resource": "tracing_requests",
    "description": "Requests from families looking for a child",
    "actions": [
      {
        "action": "read",
        "description": "View tracing requests and their traces"
      },
      {
        "action": "write",
        "description": "Record and update tracing requests"
      },
      {
        "action": "history",
        "description": "See a tracing request's change log"
      },
      {
        "action": "flag",
        "description": "Flag tracing requests within the record scope and resolve their flags"
      },
      {
        "action": "disable",
        "description": "Disable and enable tracing requests"
      },
      {
        "action": "erase",
        "description": "Erase a disabled tracing request for good, with its traces and everything that holds their data; the audit log keeps who erased which id and why"
      },
      {
        "action": "view_hidden_name",
        "description": "See hidden names in tracing requests (the owner always does)"
      }
    ]
  },
  {
    "resource": "transitions",
    "description": "Transfers, referrals and transfer requests across the cases within the record scope (the queues in and out)",
    "actions": [
      {
        "action": "read",
        "description": "List the transfers, referrals and transfer requests sent to or by oneself (a manager: to or by the users one manages)"
      }
    ]
  },
  {
    "resource": "translations",
    "description": "Translations of the configuration's labels and the web app's texts (gettext PO files)",
    "actions": [
      {
        "action": "read",
        "description": "Export a language's texts as a PO file (all, or only those missing)"
      },
      {
        "action": "write",
        "description": "Import a PO file: the translated labels and the web app's texts of this country instance"
      }
    ]
  },
  {
    "resource": "user_groups",
    "description": "Groups of users (a case manager supervises groups)",
    "actions": [
      {
        "action": "read",
        "description": "List and view user groups"
      },
      {
        "action": "write",
        "description": "Create and change user groups and their members"
      }
    ]
  },
  {
    "resource": "users",
    "description": "People who use this country instance",
    "actions": [
      {
        "action": "read",
        "description": "List and view users within the role's scope"
      },
      {
        "action": "read_self",
        "description": "View one's own account"
      },
      {
        "action": "write_self",
        "description": "Change one's own name and language"
      },
      {
        "action": "write",
        "description": "Invite users and change their role, groups, agency or status"
      }
    ]
  }
];
