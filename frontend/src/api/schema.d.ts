// Generated from api/openapi/tenant.yaml by frontend/scripts/gen.mjs: do not edit.
export interface paths {
    "/api/v2/agencies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List agencies */
        get: operations["list-agencies"];
        put?: never;
        /** Create an agency */
        post: operations["create-agency"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/agencies/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Rename, disable or re-enable an agency */
        patch: operations["update-agency"];
        trace?: never;
    };
    "/api/v2/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your unread alerts
         * @description What others did to the records you own since you became their owner or marked them read (at most 30 days back), newest first: assignments, referrals, transfers and transfer requests and their answers, field changes (field names only), attachments, a new incident from a case.
         */
        get: operations["list-alerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/alerts/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark your alerts read
         * @description Of one record you own (data.record_id), or of all. A record you do not own: 404.
         */
        post: operations["mark-alerts-read"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List approval requests across cases
         * @description Approval requests on the cases within the caller's record scope, newest request first, with the exact total; to_answer=true keeps those you may answer (the managers' queue). Each item has the case's short id, its name as you may see it, and may_answer.
         */
        get: operations["list-approvals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/audit_logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the audit log (newest first)
         * @description Every call on tenant data, including refusals and failed sign-ins, with who, what, which record, outcome, address and time. Rows are hash-chained; `cpims audit verify` checks the chain.
         */
        get: operations["list-audit-logs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List cases
         * @description Only the cases within the caller's record scope; the total and the pages are exact.
         */
        get: operations["list-cases"];
        put?: never;
        /**
         * Create a case
         * @description The caller owns the new case. The data is validated against the configuration as the caller's role writes it (422 listing every bad value; nothing is written). With a client-chosen id, sending the same request again answers 201 with the same case (no second one); another request with that id is a 409.
         */
        post: operations["create-case"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/assigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Assign many cases
         * @description Assigns 1 to 100 cases to one user in one transaction: all or none (422 naming each case that cannot be). Cases the receiver already owns are left as they are (a retried call changes nothing more).
         */
        post: operations["create-cases-assigns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/duplicates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Find possible duplicates of a case about to be created
         * @description Send the would-be case (as for create-case; nothing is written): the cases within the caller's scope that share an ID field value, or whose names are spellings of the same names (in Latin or Arabic script) with a compatible sex and age, best first (at most 20), each with its score and reasons. Give at least the names or an ID field.
         */
        post: operations["find-case-duplicates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show a case
         * @description 404 for a case outside the caller's scope, as for a missing one.
         */
        get: operations["get-case"];
        /**
         * Replace the data of a case
         * @description The body is the whole data: fields the caller may read that it leaves out are removed (those of forms it cannot read are kept). Needs If-Match or X-Base-Version, as PATCH.
         */
        put: operations["replace-case"];
        post?: never;
        /**
         * Erase a case for good
         * @description Deletes a disabled case with everything that holds its data (change log, access rows, name keys, attachments and their files, traces, potential matches, transitions, notifications, approvals, flags), in one transaction; afterwards its id is unknown everywhere (404). The case must be disabled first (409 otherwise): erasure is a deliberate second step. The audit log keeps who erased which id, the reason and the reference, no personal data. Files are removed after the commit.
         */
        delete: operations["erase-case"];
        options?: never;
        head?: never;
        /**
         * Change some fields of a case
         * @description Only the fields sent change (null removes one); subform rows are matched by unique_id (a row with "_destroy": true is removed, rows not sent stay). Needs If-Match (428 without it, 412 if stale) or X-Base-Version (merge; 409 with the conflicts, nothing applied).
         */
        patch: operations["update-case"];
        trace?: never;
    };
    "/api/v2/cases/{id}/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a case's approval requests
         * @description Every request and its answer, newest first.
         */
        get: operations["list-case-approvals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/approvals/{approval_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Request, approve or reject an approval of a case
         * @description requested: by someone who may write the case (cases:write), for an approval type the case's module uses, none pending (409); the managers of the owner's user groups are emailed. approved/rejected: only a pending request (409), by a manager of one of the owner's user groups holding cases:approve or cases:approve_<type>, never the requester (403); the owner is emailed. The case's approval_status_<type> follows.
         */
        patch: operations["update-case-approval"];
        trace?: never;
    };
    "/api/v2/cases/{id}/assigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Assign a case
         * @description The receiver (transitioned_to) becomes the case's owner. Within the caller's reach: scope all anyone, scope agency the caller's agency, otherwise the caller's user groups (403 naming the rule).
         */
        post: operations["create-case-assign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/attachments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the attachments of a case
         * @description Those on the upload fields of forms the caller may read, oldest first.
         */
        get: operations["list-case-attachments"];
        put?: never;
        /**
         * Attach a file to an upload field of a case
         * @description The body is the file itself (not a form), with its media type as Content-Type and its length as Content-Length (411 without). Its type is checked by content against the field: photo fields take images (JPEG, PNG, HEIC/HEIF, WebP), audio fields audio recordings, document fields PDF, DOCX, XLSX and images (422 otherwise). Files larger than the country's limit for the field's kind are refused with 413 before they are read; the field's max_attachments and the country's attachments per record are limits too (422). The caller must write the field's form. The case's field then lists the attachment's id (a new version; change log attachment_added).
         */
        post: operations["create-case-attachment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/attachments/{attachment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show an attachment of a case, with a link to download it
         * @description download_url works without credentials until download_expires_at (a few minutes): do not store or share it. Issuing it is audited.
         */
        get: operations["get-case-attachment"];
        put?: never;
        post?: never;
        /**
         * Remove an attachment from a case
         * @description The file is deleted and the field no longer lists it (a new version; change log attachment_removed). The caller must write the field's form.
         */
        delete: operations["delete-case-attachment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Close a case
         * @description An open case is closed with a reason (a close transition). If its module uses closure approvals, the closure must be approved first (409). A closed case cannot be assigned, referred or transferred.
         */
        post: operations["close-case"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a case
         * @description Disabled records leave the default lists and cannot be changed until enabled again.
         */
        post: operations["disable-case"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a case
         * @description Undoes disable.
         */
        post: operations["enable-case"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find a disabled case to erase
         * @description Finds the case by its id or by its short id (what the person who asks for the erasure reads on its page) and tells only what the person erasing it needs to be sure: its id, short id, and when and by whom it was disabled; none of its data. Needs the erase permission, not read: the system administrator reads no records. An enabled case is refused (409 record_enabled); an unknown id, or one out of the caller's scope, is 404.
         */
        get: operations["get-case-erasure"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a case's flags */
        get: operations["list-case-flags"];
        put?: never;
        /**
         * Flag a case
         * @description The case becomes flagged (the flagged filter) until every flag is resolved.
         */
        post: operations["create-case-flag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/flags/{flag_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Resolve a case's flag
         * @description The flag is kept, removed, with the message; a resolved flag: 409.
         */
        patch: operations["update-case-flag"];
        trace?: never;
    };
    "/api/v2/cases/{id}/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an incident from a case
         * @description The incident's case_id is the case, and the case lists it in incident_ids. The caller must see the case (cases:read, within scope) and write incidents; the incident is created as by create-incident (idempotent with a client-chosen id).
         */
        post: operations["create-case-incident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a note to a case
         * @description The note becomes a row of the case's notes_section, dated now and written by the caller (both set by the server; the case's own PATCH cannot write notes). Notes are never changed or removed: a correction is a new note. The role (or a referral's access role) must write the notes form.
         */
        post: operations["add-case-note"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/potential_matches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Potential matches of a case
         * @description The traces this case may answer, best first. Tracing requests outside the caller's scope are left out.
         */
        get: operations["list-case-potential-matches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/record_history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The change log of a case
         * @description Every write, newest first: who, when, and each field's old and new values (fields of forms the caller cannot read are left out; hidden names are masked).
         */
        get: operations["list-case-history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/referrals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refer a case
         * @description The receiver reads the case through the access role's forms until the referral is rejected, done or revoked. Across agencies the sharing protocol must allow it (403) and the child must have consented (409), unless the role overrides consent with a reason.
         */
        post: operations["create-case-referral"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/referrals/{transition_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Answer or revoke a referral
         * @description The receiver accepts or rejects or marks it done; the sender revokes it while pending. A status the referral's state does not allow is a 409 naming both; someone else is refused (403, or 404 if they cannot see the case).
         */
        patch: operations["update-case-referral"];
        trace?: never;
    };
    "/api/v2/cases/{id}/reopen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reopen a case
         * @description A closed case is opened again with a reason (a reopen transition); its closure approval is cleared.
         */
        post: operations["reopen-case"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/transfer_requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask the owner to transfer a case to you
         * @description The owner accepts (the case becomes the caller's, within the sharing protocol and consent) or rejects.
         */
        post: operations["create-case-transfer-request"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/transfer_requests/{transition_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Answer or revoke a transfer request
         * @description The receiver accepts or rejects; the sender revokes it while pending. A status the transfer request's state does not allow is a 409 naming both; someone else is refused (403, or 404 if they cannot see the case).
         */
        patch: operations["update-case-transfer-request"];
        trace?: never;
    };
    "/api/v2/cases/{id}/transfers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Transfer a case
         * @description Pending until the receiver or their manager accepts (ownership moves) or rejects; the sender may revoke. Across agencies the sharing protocol must allow it (403) and the child must have consented (409), unless the role overrides consent with a reason.
         */
        post: operations["create-case-transfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/cases/{id}/transfers/{transition_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Answer or revoke a transfer
         * @description The receiver accepts or rejects; the sender revokes it while pending. A status the transfer's state does not allow is a 409 naming both; someone else is refused (403, or 404 if they cannot see the case).
         */
        patch: operations["update-case-transfer"];
        trace?: never;
    };
    "/api/v2/cases/{id}/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a case's transitions
         * @description Assigns, referrals, transfers and transfer requests of the case, newest first.
         */
        get: operations["list-case-transitions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the whole configuration as one bundle
         * @description Modules, lookups, forms and roles' form access, sorted by unique_id. Importing it into another country instance and exporting again gives the same JSON.
         */
        get: operations["export-configuration"];
        put?: never;
        /**
         * Import a configuration bundle: a dry run lists the changes, otherwise all or nothing
         * @description The bundle becomes the configuration: forms and lookups it lacks are removed (core forms cannot be), the others created or replaced; listed modules get its names and options; listed roles get its form access. Every problem is a 422 naming its path (body.data.forms[3].fields[2].display_conditions); then nothing changes.
         */
        post: operations["import-configuration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dashboards": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your dashboard counts
         * @description Counts of the cases within your record scope (open by risk level, new in the last 7 days, flagged), your overdue and upcoming tasks, and the referrals, transfers and transfer requests pending to and from you. No personal data.
         */
        get: operations["get-dashboards"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List my devices (revoked ones included; never their keys) */
        get: operations["list-devices"];
        put?: never;
        /**
         * Register this browser as one of my devices keeping an offline copy; returns its key
         * @description Done when a person opts in to keep records on the device. The key is 256 random bits the server keeps: with the instance's offline_unlock set to pin_and_server a copy of the browser's storage opens only once the server released the key, and in every mode a revoked device's copy is wiped at its next contact (docs/identity.md, device keys).
         */
        post: operations["register-device"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/devices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of my devices: its key is never released again and it removes its offline copy at its next contact */
        delete: operations["revoke-device"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/devices/{id}/key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Release my device's key to my signed-in browser
         * @description Only to a browser session (the session cookie) of the device's own user: never to a session token or an API key (403). 404 for another person's device; 410 once the device is revoked, when the app removes its offline copy. Every release is in the audit log.
         */
        get: operations["get-device-key"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List flags across records
         * @description Flags of the records within the caller's record scope, newest first: of every record type whose read permission the caller holds, or of record_type (which then needs that type's read permission).
         */
        get: operations["list-flags"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/forms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List forms
         * @description In display order (form group, order). Administrators (forms:write) see every form; others see the forms their role reads (form_access), with the nested forms of their subforms.
         */
        get: operations["list-forms"];
        put?: never;
        /**
         * Create a form
         * @description Every problem of the form, and of the configuration it would make, is a 422 naming its path (body.fields[3].display_conditions); nothing is written then.
         */
        post: operations["create-form"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/forms/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check record data against the forms, as the caller's role would write it
         * @description Answers 200 with every problem (valid: false) or none: field types, required fields whose display conditions hold, unknown keys, subform rows, and the forms the caller's role may write. Records answer 422 with the same errors.
         */
        post: operations["validate-record-data"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/forms/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a form with its fields */
        get: operations["get-form"];
        put?: never;
        post?: never;
        /**
         * Delete a form (and the roles' access to it)
         * @description Refused (409, saying why) for core forms, nested forms a subform uses, and forms whose fields other forms or records use.
         */
        delete: operations["delete-form"];
        options?: never;
        head?: never;
        /**
         * Change a form: its attributes, or its fields (add, change, reorder, hide) by sending the whole list
         * @description A field that records use cannot be removed or change type: hide it (visible: false). A change that would break another form (a display condition over a field removed) is refused, blamed on body.fields.
         */
        patch: operations["update-form"];
        trace?: never;
    };
    "/api/v2/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List incidents
         * @description Only the incidents within the caller's record scope; the total and the pages are exact.
         */
        get: operations["list-incidents"];
        put?: never;
        /**
         * Create a incident
         * @description The caller owns the new incident. The data is validated against the configuration as the caller's role writes it (422 listing every bad value; nothing is written). With a client-chosen id, sending the same request again answers 201 with the same incident (no second one); another request with that id is a 409.
         */
        post: operations["create-incident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/incidents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show a incident
         * @description 404 for a incident outside the caller's scope, as for a missing one.
         */
        get: operations["get-incident"];
        /**
         * Replace the data of a incident
         * @description The body is the whole data: fields the caller may read that it leaves out are removed (those of forms it cannot read are kept). Needs If-Match or X-Base-Version, as PATCH.
         */
        put: operations["replace-incident"];
        post?: never;
        /**
         * Erase a incident for good
         * @description Deletes a disabled incident with everything that holds its data (change log, access rows, name keys, attachments and their files, traces, potential matches, transitions, notifications, approvals, flags), in one transaction; afterwards its id is unknown everywhere (404). The incident must be disabled first (409 otherwise): erasure is a deliberate second step. The audit log keeps who erased which id, the reason and the reference, no personal data. Files are removed after the commit.
         */
        delete: operations["erase-incident"];
        options?: never;
        head?: never;
        /**
         * Change some fields of a incident
         * @description Only the fields sent change (null removes one); subform rows are matched by unique_id (a row with "_destroy": true is removed, rows not sent stay). Needs If-Match (428 without it, 412 if stale) or X-Base-Version (merge; 409 with the conflicts, nothing applied).
         */
        patch: operations["update-incident"];
        trace?: never;
    };
    "/api/v2/incidents/{id}/attachments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the attachments of a incident
         * @description Those on the upload fields of forms the caller may read, oldest first.
         */
        get: operations["list-incident-attachments"];
        put?: never;
        /**
         * Attach a file to an upload field of a incident
         * @description The body is the file itself (not a form), with its media type as Content-Type and its length as Content-Length (411 without). Its type is checked by content against the field: photo fields take images (JPEG, PNG, HEIC/HEIF, WebP), audio fields audio recordings, document fields PDF, DOCX, XLSX and images (422 otherwise). Files larger than the country's limit for the field's kind are refused with 413 before they are read; the field's max_attachments and the country's attachments per record are limits too (422). The caller must write the field's form. The incident's field then lists the attachment's id (a new version; change log attachment_added).
         */
        post: operations["create-incident-attachment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/incidents/{id}/attachments/{attachment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show an attachment of a incident, with a link to download it
         * @description download_url works without credentials until download_expires_at (a few minutes): do not store or share it. Issuing it is audited.
         */
        get: operations["get-incident-attachment"];
        put?: never;
        post?: never;
        /**
         * Remove an attachment from a incident
         * @description The file is deleted and the field no longer lists it (a new version; change log attachment_removed). The caller must write the field's form.
         */
        delete: operations["delete-incident-attachment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/incidents/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a incident
         * @description Disabled records leave the default lists and cannot be changed until enabled again.
         */
        post: operations["disable-incident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/incidents/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a incident
         * @description Undoes disable.
         */
        post: operations["enable-incident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/incidents/{id}/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find a disabled incident to erase
         * @description Finds the incident by its id or by its short id (what the person who asks for the erasure reads on its page) and tells only what the person erasing it needs to be sure: its id, short id, and when and by whom it was disabled; none of its data. Needs the erase permission, not read: the system administrator reads no records. An enabled incident is refused (409 record_enabled); an unknown id, or one out of the caller's scope, is 404.
         */
        get: operations["get-incident-erasure"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/incidents/{id}/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an incident's flags */
        get: operations["list-incident-flags"];
        put?: never;
        /**
         * Flag an incident
         * @description The incident becomes flagged (the flagged filter) until every flag is resolved.
         */
        post: operations["create-incident-flag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/incidents/{id}/flags/{flag_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Resolve an incident's flag
         * @description The flag is kept, removed, with the message; a resolved flag: 409.
         */
        patch: operations["update-incident-flag"];
        trace?: never;
    };
    "/api/v2/incidents/{id}/record_history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The change log of a incident
         * @description Every write, newest first: who, when, and each field's old and new values (fields of forms the caller cannot read are left out; hidden names are masked).
         */
        get: operations["list-incident-history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/locations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List locations
         * @description In hierarchy order (each location before those below it). Every member may list them: forms offer location pickers.
         */
        get: operations["list-locations"];
        put?: never;
        /** Add a location */
        post: operations["create-location"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/locations/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import locations from a CSV file (HXL-tagged accepted)
         * @description Send the file as the body (`text/csv`) or as the part `file` of a `multipart/form-data` form. Columns: `code`, `parent_code`, `admin_level`, `type`, `disabled`, `name_<language>` (`name_en`, `name_fr`, ...). Or HXL-tagged, as OCHA's common operational datasets: a hashtag row with `#country+code`, `#adm1+code`, `#adm1+name+i_en`, `#adm2+code`, ...; each row names a location and its ancestors. A file that cannot be imported (not CSV, no code column, unknown columns) is refused now (422). Otherwise the import runs in the background: the answer (202) links to its progress and per-row report. Every valid row is applied (added, or changed: names merge by language), every invalid one reported with its reason.
         */
        post: operations["import-locations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/locations/imports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An import's progress and per-row report
         * @description Progress is `rows_done` of `rows_total`. The report (one entry per data row: its row number in the file, its code, applied or invalid and why) is written when the import has run. Needs the permission to import.
         */
        get: operations["get-location-import"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/locations/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a location */
        get: operations["get-location"];
        put?: never;
        post?: never;
        /**
         * Delete a location nothing uses
         * @description A location with locations below it, or used by records, is not deleted (409): disable it instead.
         */
        delete: operations["delete-location"];
        options?: never;
        head?: never;
        /**
         * Change, move or disable a location
         * @description The code never changes. Moving a location moves everything below it.
         */
        patch: operations["update-location"];
        trace?: never;
    };
    "/api/v2/lookups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List lookups (option lists) with their options */
        get: operations["list-lookups"];
        put?: never;
        /** Create a lookup */
        post: operations["create-lookup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/lookups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a lookup */
        get: operations["get-lookup"];
        put?: never;
        post?: never;
        /** Delete a lookup that no field uses */
        delete: operations["delete-lookup"];
        options?: never;
        head?: never;
        /**
         * Change a lookup's name or options (the whole list)
         * @description An option that records use cannot be removed: disable it (disabled: true). Options that display conditions name cannot be removed either.
         */
        patch: operations["update-lookup"];
        trace?: never;
    };
    "/api/v2/matching/configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The matching configuration
         * @description Which case fields are compared with which trace or inquirer fields and how, the blocking rules, the label thresholds and the stated prior (docs/matching.md). Version 0: the defaults for the default forms.
         */
        get: operations["get-matching-configuration"];
        /**
         * Replace the matching configuration
         * @description Every problem is reported at once and nothing is stored. A change queues a full re-matching run (new parameters are estimated under the new configuration).
         */
        put: operations["update-matching-configuration"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/matching/parameters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Estimated matching parameters, newest first
         * @description Each version the tenant's parameters were estimated in (by a run, or a record's job when there were none): what from, the prior, the calibration, and each comparison's levels with m, u and the weight in bits a pair at that level gets. Every potential match records its version. The term frequencies and stop keys, which list the tenant's names, are not given. Any other query parameter is a 422.
         */
        get: operations["list-matching-parameters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/matching/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Re-matching runs, newest first
         * @description Every run, whoever started it (an administrator, the periodic job, a configuration change), with its status and progress as get-matching-run gives it. Any other query parameter is a 422 (never ignored).
         */
        get: operations["list-matching-runs"];
        put?: never;
        /**
         * Re-match every trace
         * @description Queues a full run: parameters are estimated again from the tenant's data, then every trace is matched. Follow its progress with get-matching-run.
         */
        post: operations["create-matching-run"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/matching/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A re-matching run and its progress */
        get: operations["get-matching-run"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/modules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List modules with their record types and options */
        get: operations["list-modules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/modules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a module */
        get: operations["get-module"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a module's name or options (which workflows are on) */
        patch: operations["update-module"];
        trace?: never;
    };
    "/api/v2/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List notification deliveries
         * @description Email notifications of workflow events and daily digests, newest first, with their delivery state: queued (waiting or to be retried), sending, sent, failed (gave up, or the worker stopped mid-send: see last_error), skipped (the recipient opted out, or nothing was left to tell), with attempts and the last error. No message content.
         */
        get: operations["list-notifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/potential_matches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The review queue
         * @description Potential matches whose case and tracing request are within the caller's scope, by probability (highest first). Any other query parameter, and a location code the tenant does not have, is a 422 (never ignored).
         */
        get: operations["list-potential-matches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/potential_matches/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Confirm or reject a potential match
         * @description Only a pending potential match can be reviewed (409 otherwise, nothing changes).
         */
        patch: operations["review-potential-match"];
        trace?: never;
    };
    "/api/v2/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List roles with their permissions, record scope, form access and MFA requirement */
        get: operations["list-roles"];
        put?: never;
        /** Create a role */
        post: operations["create-role"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/roles/referable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Roles a referral may grant
         * @description The roles whose forms a referral's receiver may read the case through (authorized_role_unique_id).
         */
        get: operations["list-referable-roles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/roles/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a role (takes effect at every user's next request) */
        patch: operations["update-role"];
        trace?: never;
    };
    "/api/v2/service_accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List service accounts (integration clients) */
        get: operations["list-service-accounts"];
        put?: never;
        /** Create a service account */
        post: operations["create-service-account"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/service_accounts/{id}/api_keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a service account's API keys (never the keys themselves) */
        get: operations["list-api-keys"];
        put?: never;
        /** Issue an API key (shown once) */
        post: operations["issue-api-key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/service_accounts/{id}/api_keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key at once */
        delete: operations["revoke-api-key"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/sharing_protocol": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the information sharing protocol
         * @description Which agency may refer or transfer cases to which other agency. Within an agency everything is allowed; across, only these pairs.
         */
        get: operations["get-sharing-protocol"];
        /**
         * Replace the information sharing protocol
         * @description The pairs listed become the protocol; unknown agencies or a pair listed twice: 422, nothing changed.
         */
        put: operations["replace-sharing-protocol"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/system_settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The country instance's name, languages and modules
         * @description Public: the sign-in page needs it before anyone is signed in.
         */
        get: operations["get-system-settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change the country instance's settings: the origins allowed to call the API from other web applications, the default time zone, what opens offline copies, the attachment limits
         * @description Every value is checked before anything changes. The attachment size limits may not exceed the server's largest file (attachment_max_bytes_allowed of get-system-settings); a bad value is a 422 at its field.
         */
        patch: operations["update-system-settings"];
        trace?: never;
    };
    "/api/v2/system_settings/locales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a language to this instance
         * @description Adds the language to the instance's languages: members may choose it, translations export and import accept it at once. A language the instance has already is a 409.
         */
        post: operations["add-locale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/system_settings/locales/{locale}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a language from this instance
         * @description Refused (409) for the default language and while members have it as their own language (the problem says how many). Texts translated into it are kept: adding it again brings them back.
         */
        delete: operations["remove-locale"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/system_settings/phone_calling_code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The country calling code of phone numbers, and the progress of the rewrite its latest change started
         * @description For the administrators who change it (permission system_settings:write).
         */
        get: operations["get-phone-calling-code"];
        /**
         * Set the country calling code of phone numbers
         * @description With a code, phone numbers written the local way (0712 345 678) are stored and searched in international form (254712345678). A change starts a background job that rewrites the stored form of every record's numbers, so searches and duplicate checks find records written before; `rewrite` shows its progress. Setting the current code changes nothing.
         */
        put: operations["set-phone-calling-code"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your tasks
         * @description Due dates on the open cases you own or are assigned, soonest first: the assessment (7 days after registration, until assessment_completed_date is set), the case plan (14 days after the assessment, until date_case_plan is set), follow-ups (followup_needed_by_date without followup_date) and services (service_appointment_date without service_implemented_day_time). Overdue tasks are due before today in your time zone (your time_zone, else the instance's default).
         */
        get: operations["list-tasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tracing requests
         * @description Only the tracing requests within the caller's record scope; the total and the pages are exact.
         */
        get: operations["list-tracing-requests"];
        put?: never;
        /**
         * Create a tracing request
         * @description The caller owns the new tracing request. The data is validated against the configuration as the caller's role writes it (422 listing every bad value; nothing is written). With a client-chosen id, sending the same request again answers 201 with the same tracing request (no second one); another request with that id is a 409.
         */
        post: operations["create-tracing-request"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show a tracing request
         * @description 404 for a tracing request outside the caller's scope, as for a missing one.
         */
        get: operations["get-tracing-request"];
        /**
         * Replace the data of a tracing request
         * @description The body is the whole data: fields the caller may read that it leaves out are removed (those of forms it cannot read are kept). Needs If-Match or X-Base-Version, as PATCH.
         */
        put: operations["replace-tracing-request"];
        post?: never;
        /**
         * Erase a tracing request for good
         * @description Deletes a disabled tracing request with everything that holds its data (change log, access rows, name keys, attachments and their files, traces, potential matches, transitions, notifications, approvals, flags), in one transaction; afterwards its id is unknown everywhere (404). The tracing request must be disabled first (409 otherwise): erasure is a deliberate second step. The audit log keeps who erased which id, the reason and the reference, no personal data. Files are removed after the commit.
         */
        delete: operations["erase-tracing-request"];
        options?: never;
        head?: never;
        /**
         * Change some fields of a tracing request
         * @description Only the fields sent change (null removes one); subform rows are matched by unique_id (a row with "_destroy": true is removed, rows not sent stay). Needs If-Match (428 without it, 412 if stale) or X-Base-Version (merge; 409 with the conflicts, nothing applied).
         */
        patch: operations["update-tracing-request"];
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/attachments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the attachments of a tracing request
         * @description Those on the upload fields of forms the caller may read, oldest first.
         */
        get: operations["list-tracing-request-attachments"];
        put?: never;
        /**
         * Attach a file to an upload field of a tracing request
         * @description The body is the file itself (not a form), with its media type as Content-Type and its length as Content-Length (411 without). Its type is checked by content against the field: photo fields take images (JPEG, PNG, HEIC/HEIF, WebP), audio fields audio recordings, document fields PDF, DOCX, XLSX and images (422 otherwise). Files larger than the country's limit for the field's kind are refused with 413 before they are read; the field's max_attachments and the country's attachments per record are limits too (422). The caller must write the field's form. The tracing request's field then lists the attachment's id (a new version; change log attachment_added).
         */
        post: operations["create-tracing-request-attachment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/attachments/{attachment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show an attachment of a tracing request, with a link to download it
         * @description download_url works without credentials until download_expires_at (a few minutes): do not store or share it. Issuing it is audited.
         */
        get: operations["get-tracing-request-attachment"];
        put?: never;
        post?: never;
        /**
         * Remove an attachment from a tracing request
         * @description The file is deleted and the field no longer lists it (a new version; change log attachment_removed). The caller must write the field's form.
         */
        delete: operations["delete-tracing-request-attachment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a tracing request
         * @description Disabled records leave the default lists and cannot be changed until enabled again.
         */
        post: operations["disable-tracing-request"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a tracing request
         * @description Undoes disable.
         */
        post: operations["enable-tracing-request"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find a disabled tracing request to erase
         * @description Finds the tracing request by its id or by its short id (what the person who asks for the erasure reads on its page) and tells only what the person erasing it needs to be sure: its id, short id, and when and by whom it was disabled; none of its data. Needs the erase permission, not read: the system administrator reads no records. An enabled tracing request is refused (409 record_enabled); an unknown id, or one out of the caller's scope, is 404.
         */
        get: operations["get-tracing-request-erasure"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a tracing request's flags */
        get: operations["list-tracing-request-flags"];
        put?: never;
        /**
         * Flag a tracing request
         * @description The tracing request becomes flagged (the flagged filter) until every flag is resolved.
         */
        post: operations["create-tracing-request-flag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/flags/{flag_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Resolve a tracing request's flag
         * @description The flag is kept, removed, with the message; a resolved flag: 409.
         */
        patch: operations["update-tracing-request-flag"];
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/record_history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The change log of a tracing request
         * @description Every write, newest first: who, when, and each field's old and new values (fields of forms the caller cannot read are left out; hidden names are masked).
         */
        get: operations["list-tracing-request-history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/traces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The traces of a tracing request
         * @description One trace per child sought (the rows of tracing_request_subform_section), in the order they were added.
         */
        get: operations["list-traces"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/traces/{trace_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a trace */
        get: operations["get-trace"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/tracing_requests/{id}/traces/{trace_id}/potential_matches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Potential matches of a trace
         * @description Best first, with probability, label and the per-field comparison. Cases outside the caller's scope are left out; values of fields the caller's role may not read are left out.
         */
        get: operations["list-trace-potential-matches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List transfers, referrals and transfer requests across cases
         * @description The queue of a caseworker or manager, newest first, on the cases within the caller's record scope (a transition of a case you cannot see is not listed; the total is exact). Each item has the case's short id, its name as you may see it, and whether you may answer (may_answer) or revoke (may_revoke) it now.
         */
        get: operations["list-transitions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/translations/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a PO file of one language
         * @description Send the file as the body (`text/x-gettext-translation`) or as the part `file` of a `multipart/form-data` form (with an optional part `locale`). A file that is not PO, or whose language is not one of this instance's (or is its default language, the source of every msgid), is refused now (422). Otherwise the import runs in the background (202, linking to its progress and per-entry report): entries whose msgid is still the source text and whose placeholders (`{name}`, `%{count}`, `%s`) match the source's are applied, all in one change; the others are reported (stale, invalid, unknown, skipped) and not applied.
         */
        post: operations["import-translations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/translations/imports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A translations import's progress and per-entry report
         * @description Counts by outcome and, once the import has run, one report entry per PO entry: its line, its msgctxt, its outcome (applied, unchanged, skipped, unknown, stale, invalid) and why.
         */
        get: operations["get-translation-import"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/translations/ui/{locale}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The web app's texts in one language, as this instance words them
         * @description Public, as the sign-in page needs them. Lingui message id to text: the instance's own wording (imported), else the app's translation, else the default language's, else English. A language that is not one of this instance's is a 404.
         */
        get: operations["get-ui-translations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/translations/{locale}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export a language's texts as a gettext PO file
         * @description Every configuration label (forms, fields, help texts, options, lookups, modules, locations) and every text of the web app, one entry each: `msgctxt` addresses the text (`form:basic_identity:field:sex:label`, `lookup:lookup-sex:value:female`, `location:KE01:name`, `ui:<Lingui id>`), `msgid` is its text in the default language, `msgstr` its text in this language (empty when it has none). `missing=true` keeps only the entries without a translation. Edit it in any PO tool (Weblate, Transifex, Crowdin, Poedit) and import it back.
         */
        get: operations["export-translations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/user_groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List user groups */
        get: operations["list-user-groups"];
        put?: never;
        /** Create a user group */
        post: operations["create-user-group"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/user_groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a user group */
        patch: operations["update-user-group"];
        trace?: never;
    };
    "/api/v2/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Only the users within the caller's scope: their own agency for agency-scoped roles, their groups for group-scoped roles.
         */
        get: operations["list-users"];
        put?: never;
        /**
         * Invite a user
         * @description Creates the account and emails the person, in their language, a one-time code to choose a password.
         */
        post: operations["invite-user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/assign-to": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Users a case may be sent to (assign)
         * @description Enabled users the caller may assign cases to: scope all anyone, scope agency the caller's agency, otherwise the users sharing one of the caller's user groups. Sorted by name, at most 1000; only the fields a caseworker needs to choose.
         */
        get: operations["list-assign-receivers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user's own account */
        get: operations["get-current-user"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change your own name, language or time zone
         * @description The signed-in user's own account in this country instance. The email address cannot be changed here, nor anywhere by its holder: it is the sign-in name and where invitations go, so it changes only by a new invitation.
         */
        patch: operations["update-current-user"];
        trace?: never;
    };
    "/api/v2/users/me/notification_settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your email notification settings
         * @description Each kind of email (workflow events and their answers, the daily digest of overdue tasks) and whether you receive it. Users only (a service account: 404).
         */
        get: operations["get-notification-settings"];
        /**
         * Turn email notifications on or off
         * @description Per kind. An unknown or repeated kind: 422 at body.data[i].kind, and nothing changes.
         */
        put: operations["update-notification-settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/refer-to": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Users a case may be sent to (referral)
         * @description Enabled users of the caller's agency and of the agencies the sharing protocol lets it refer cases to (the caller excluded). Sorted by name, at most 1000; only the fields a caseworker needs to choose.
         */
        get: operations["list-referral-receivers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/transfer-to": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Users a case may be sent to (transfer)
         * @description Enabled users of the caller's agency and of the agencies the sharing protocol lets it transfer cases to (the caller excluded). Sorted by name, at most 1000; only the fields a caseworker needs to choose.
         */
        get: operations["list-transfer-receivers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a user */
        get: operations["get-user"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a user
         * @description Nobody changes a user whose role reaches beyond their own (403), and a country instance keeps at least one active administrator (409).
         */
        patch: operations["update-user"];
        trace?: never;
    };
    "/api/v2/users/{id}/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a user's devices (a user within the caller's scope) */
        get: operations["list-user-devices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/devices/{device_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a user's device (e.g. a phone reported lost) */
        delete: operations["revoke-user-device"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        APIKey: {
            /** Format: date-time */
            created_at: string;
            created_by: string;
            /** Format: date-time */
            expires_at?: string;
            id: string;
            /** Format: date-time */
            last_used_at?: string;
            name: string;
            /** @description The key's first characters, to recognise it. */
            prefix: string;
            /** Format: date-time */
            revoked_at?: string;
        };
        AddLocaleInputBody: {
            /**
             * @description A BCP 47 language tag: a language, an optional script and an optional region (fr, pt-BR, ku-Arab). Its writing direction is derived from the tag.
             * @example sw
             */
            locale: string;
        };
        AddNoteInputBody: {
            data: components["schemas"]["NoteData"];
        };
        Agency: {
            agency_code: string;
            /** Format: date-time */
            created_at: string;
            disabled: boolean;
            id: string;
            name: {
                [key: string]: string;
            };
            unique_id: string;
            /** Format: date-time */
            updated_at: string;
        };
        AgencyBody: {
            /** @example UNICEF */
            agency_code: string;
            /**
             * @description The name by language.
             * @example {
             *       "en": "UNICEF"
             *     }
             */
            name: {
                [key: string]: string;
            };
            /** @example agency-unicef */
            unique_id: string;
        };
        Alert: {
            /** @description Who did it (their name at the time). */
            actor: string;
            /** Format: date-time */
            at: string;
            /** @description field_change: the fields changed (names, no values). */
            fields?: string[] | null;
            id: string;
            /** Format: uuid */
            incident_id?: string;
            /** Format: uuid */
            record_id: string;
            /** @enum {string} */
            record_type: "case" | "tracing_request" | "incident";
            short_id: string;
            /** @description assign; referral, transfer, transfer_request (a new one, to or about the caller's record); <type>_<status> (an answer: referral_accepted, transfer_rejected, ...); field_change; attachment_added, attachment_removed; disable, enable; incident (a new incident from the case); match_confirmed (a family tracing match of the case or tracing request was confirmed). */
            type: string;
        };
        AlertsReadRequest: {
            /** @description The record whose alerts are read; omitted: every record the caller owns. */
            record_id?: string;
        };
        AlertsReadResult: {
            /**
             * Format: int64
             * @description How many records' alerts were marked read.
             */
            records: number;
        };
        ApiKeyListOutputBody: {
            data: components["schemas"]["APIKey"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        Approval: {
            /** Format: date-time */
            answered_at?: string;
            /** @description The answer's notes (why rejected). */
            approval_notes?: string;
            /** @enum {string} */
            approval_status: "requested" | "approved" | "rejected";
            /** @enum {string} */
            approval_type: "assessment" | "case_plan" | "closure" | "action_plan" | "gbv_closure";
            /** @description Who answered (email). */
            approved_by?: string;
            /** Format: uuid */
            id: string;
            /** @description The request's notes. */
            notes: string;
            /** Format: uuid */
            record_id: string;
            /** Format: date-time */
            requested_at: string;
            /** @description The requester's email. */
            requested_by: string;
        };
        ApprovalData: {
            /**
             * @description requested (by someone who may write the case), approved or rejected (by a manager of the owner's user groups, not the requester).
             * @enum {string}
             */
            approval_status: "requested" | "approved" | "rejected";
            /** @description The request's notes, or the answer's (why rejected). */
            notes?: string;
        };
        ApprovalInputBody: {
            data: components["schemas"]["ApprovalData"];
        };
        ApprovalOutputBody: {
            data: components["schemas"]["Approval"];
        };
        ApprovalsOutputBody: {
            data: components["schemas"]["Approval"][] | null;
        };
        Attachment: {
            /** @description The media type detected from the content (and checked against the declared one). */
            content_type: string;
            /** Format: date-time */
            created_at: string;
            /** @description Who uploaded it (email, or a service account's name). */
            created_by: string;
            /**
             * Format: date
             * @description When the photo was taken or the document issued, as the uploader said.
             */
            date?: string;
            description?: string;
            /** @description The upload field whose value lists this attachment's id. */
            field_name: string;
            file_name: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            record_id: string;
            /** @enum {string} */
            record_type: "case" | "tracing_request" | "incident";
            /** @description SHA-256 of the content, hex. */
            sha256: string;
            /**
             * Format: int64
             * @description Bytes.
             */
            size: number;
        };
        AttachmentListOutputBody: {
            data: components["schemas"]["Attachment"][] | null;
        };
        AttachmentOutputBody: {
            data: components["schemas"]["Attachment"];
        };
        AuditLog: {
            /** @description What was done, e.g. cases:read */
            action: string;
            /** @description Who acted, e.g. user:<id> or system:<name> */
            actor: string;
            /** @description Hex SHA-256 over prev_hash and this row's fields */
            hash: string;
            /**
             * Format: int64
             * @description Position in the tenant's audit hash chain: 1, 2, 3, ...
             */
            id: number;
            metadata: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            occurred_at: string;
            /** @description API operation id */
            operation?: string;
            /** @enum {string} */
            outcome: "allowed" | "denied" | "failed";
            /** @description Hex SHA-256 of the previous row; empty for row 1 */
            prev_hash?: string;
            record_id?: string;
            record_type?: string;
            remote_ip?: string;
            request_id?: string;
            user_agent?: string;
        };
        AuditLogListOutputBody: {
            data: components["schemas"]["AuditLog"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        Blocking: {
            age?: string;
            given?: string[] | null;
            /** Format: int64 */
            location_admin_level: number;
            locations?: string[] | null;
            names: string[] | null;
            relatives?: string[] | null;
            sex?: string;
            sex_values?: string[] | null;
        };
        BulkAssignData: {
            /** @description The cases to assign (1 to 100): all are assigned, or none. */
            ids: string[] | null;
            notes?: string;
            /** @description The receiver's user name (email). */
            transitioned_to: string;
        };
        BulkAssignInputBody: {
            data: components["schemas"]["BulkAssignData"];
        };
        Bundle: {
            /** @enum {string} */
            format: "cpims.configuration.v1";
            forms: components["schemas"]["Form"][] | null;
            locations: components["schemas"]["Spec"][] | null;
            lookups: components["schemas"]["Lookup"][] | null;
            modules: components["schemas"]["ModuleConfig"][] | null;
            roles: {
                [key: string]: {
                    [key: string]: string;
                };
            };
        };
        Calculation: {
            /**
             * @description A date field: the value is the age in whole years today.
             * @example date_of_birth
             */
            age_from?: string;
            /** @description Numeric fields: the value is their sum (missing ones count 0). */
            sum?: string[] | null;
        };
        Calibration: {
            /** Format: double */
            adjustment: number;
            /** Format: double */
            child: number;
            /** Format: double */
            family: number;
            /** Format: double */
            offset: number;
            /** Format: double */
            together?: number;
        };
        Change: {
            added?: string[] | null;
            attributes?: string[] | null;
            changed?: string[] | null;
            /** @description The item's unique_id. */
            id: string;
            /** @enum {string} */
            kind: "module" | "lookup" | "form" | "role";
            /** @enum {string} */
            op: "added" | "changed" | "removed";
            removed?: string[] | null;
        };
        Comparison: {
            by_position?: boolean;
            by_trace_order?: boolean;
            case: components["schemas"]["Side"];
            /** @enum {string} */
            kind: "name" | "relative_name" | "category" | "categories" | "age" | "date" | "location";
            location_levels?: components["schemas"]["LocationLevel"][] | null;
            name: string;
            shared_by_siblings: boolean;
            swaps?: boolean;
            swaps_with?: string;
            term_frequency: boolean;
            trace: components["schemas"]["Side"];
        };
        ComparisonWeights: {
            /** @description A comparison whose trace value is the tracing request's, given for its first child sought (the separation): its levels for the request's later traces, estimated apart. */
            later?: components["schemas"]["LevelWeight"][] | null;
            levels: components["schemas"]["LevelWeight"][] | null;
            name: string;
            /** @description Spellings of one name the phonetic keys do not join, learned from the tenant's likely and confirmed matches: a name that differs from the other side's only by such a pair is at level variant. */
            variants?: (string[] | null)[] | null;
        };
        Configuration: {
            blocking: components["schemas"]["Blocking"];
            comparisons: components["schemas"]["Comparison"][] | null;
            /** Format: double */
            prior: number;
            thresholds: components["schemas"]["Thresholds"];
        };
        Conflict: {
            base: unknown;
            path: string;
            reason?: string;
            theirs: unknown;
            yours: unknown;
        };
        ConflictProblem: {
            /**
             * @description The problem's stable machine code, to translate or act on (docs/errors.md; always sent): e.g. not_found, invalid, forbidden, unauthenticated, conflict, stale, precondition_required, consent_required, sharing_protocol, locale_in_use, already_exists, record_disabled, record_enabled, case_status, transition_state, in_use, beyond_role, transition_forbidden; else the HTTP status in snake case (bad_request, unsupported_media_type...).
             * @example not_found
             */
            code?: string;
            /** @description Each field changed both since your base version and by you: its value at base, now (theirs) and yours. */
            conflicts: components["schemas"]["Conflict"][] | null;
            /**
             * @description What happened this time, in the caller's language.
             * @example Resource not found or you do not have access to it.
             */
            detail?: string;
            /** @description The bad values, one per location. */
            errors?: components["schemas"]["ProblemDetail"][] | null;
            /**
             * Format: uri
             * @description A URI reference that identifies the specific occurrence of the problem.
             */
            instance?: string;
            /**
             * Format: int64
             * @description HTTP status code
             * @example 422
             */
            status?: number;
            /**
             * @description A short summary of the problem type, in the caller's language.
             * @example Unprocessable Entity
             */
            title?: string;
            /**
             * Format: uri
             * @description A URI reference to human-readable documentation for the error.
             * @default about:blank
             */
            type: string;
        };
        CorsOutputBody: {
            data: components["schemas"]["DataStruct"];
        };
        CreateFlagInputBody: {
            data: components["schemas"]["FlagData"];
        };
        CreateLocationInputBody: {
            /**
             * Format: int64
             * @description 0 (country) to 5; greater than the parent's (levels may be skipped).
             */
            admin_level: number;
            /**
             * @description Unique and stable: records refer to it. 1 to 64 letters, digits or underscores (P-codes fit).
             * @example DL0102
             */
            code: string;
            disabled?: boolean;
            /**
             * @description The name by language.
             * @example {
             *       "ar": "أمارا",
             *       "en": "Amara"
             *     }
             */
            name: {
                [key: string]: string;
            };
            /**
             * @description Absent for a root (the country).
             * @example DL01
             */
            parent_code?: string;
            /** @example district */
            type?: string;
        };
        CreateServiceAccountInputBody: {
            /** @example agency-unhcr */
            agency_unique_id: string;
            /** @example UNHCR registration sync */
            name: string;
            /**
             * @description The role the integration acts with (not one requiring MFA).
             * @example role-caseworker
             */
            role_unique_id: string;
        };
        CreateTransitionInputBody: {
            data: components["schemas"]["TransitionData"];
        };
        CurrentUser: {
            agency_unique_id: string;
            /** Format: date-time */
            created_at: string;
            disabled: boolean;
            email: string;
            /** @description The role's access to each form (unique_id to r: read, rw: read and write); a form read but not written is shown read-only. Nested forms follow their subform's form. Empty without forms:read. */
            form_access: {
                [key: string]: string;
            };
            full_name: string;
            id: string;
            identity_id: string;
            locale: string;
            /** @description What the user's role allows in this country instance: resource:action pairs of the policy catalogue. */
            permissions: string[] | null;
            role_unique_id: string;
            /** @description The person's IANA time zone (Africa/Nairobi); empty: the instance's default (system_settings.time_zone). Their daily digest goes out on their local morning and their tasks are overdue from their local day. */
            time_zone: string;
            /** Format: date-time */
            updated_at: string;
            user_group_unique_ids: string[] | null;
        };
        CurrentUserOutputBody: {
            data: components["schemas"]["CurrentUser"];
        };
        Dashboard: {
            /**
             * Format: int64
             * @description The total of list-approvals?to_answer=true: the pending requests the caller may answer.
             */
            approvals_to_answer: number;
            /**
             * Format: int64
             * @description Open cases with a flag.
             */
            flagged_cases: number;
            /**
             * Format: int64
             * @description Cases registered (created) in the last 7 days, open or closed.
             */
            new_cases_this_week: number;
            /** Format: int64 */
            open_cases: number;
            /** @description Open cases per risk_level value; "none" for cases without one. */
            open_cases_by_risk: {
                [key: string]: number;
            };
            /** Format: int64 */
            overdue_tasks: number;
            /**
             * Format: int64
             * @description The total of list-approvals (pending): approval requests on the cases the caller sees (for a caseworker, their cases awaiting an answer).
             */
            pending_approvals: number;
            /**
             * Format: int64
             * @description The total of list-transitions?direction=in&type=referral (pending): to the caller, to an agency they manage for, or, for a manager, to a person they manage.
             */
            pending_referrals_in: number;
            /**
             * Format: int64
             * @description The total of list-transitions?direction=out&type=referral: sent by the caller or, for a manager, by a person they manage.
             */
            pending_referrals_out: number;
            /**
             * Format: int64
             * @description The total of list-transitions?direction=in&type=transfer_request: requests to transfer a case the caller (or, for a manager, a person they manage) owns.
             */
            pending_transfer_requests_in: number;
            /**
             * Format: int64
             * @description The total of list-transitions?direction=out&type=transfer_request.
             */
            pending_transfer_requests_out: number;
            /**
             * Format: int64
             * @description The total of list-transitions?direction=in&type=transfer.
             */
            pending_transfers_in: number;
            /**
             * Format: int64
             * @description The total of list-transitions?direction=out&type=transfer.
             */
            pending_transfers_out: number;
            /** Format: int64 */
            upcoming_tasks: number;
        };
        DashboardsOutputBody: {
            data: components["schemas"]["Dashboard"];
        };
        DataOutputAgencyBody: {
            data: components["schemas"]["Agency"];
        };
        DataOutputFormBody: {
            data: components["schemas"]["Form"];
        };
        DataOutputImportResultBody: {
            data: components["schemas"]["ImportResult"];
        };
        DataOutputLocationBody: {
            data: components["schemas"]["Location"];
        };
        DataOutputLookupBody: {
            data: components["schemas"]["Lookup"];
        };
        DataOutputModuleConfigBody: {
            data: components["schemas"]["ModuleConfig"];
        };
        DataOutputPotentialMatchBody: {
            data: components["schemas"]["PotentialMatch"];
        };
        DataOutputRoleBody: {
            data: components["schemas"]["Role"];
        };
        DataOutputRunBody: {
            data: components["schemas"]["Run"];
        };
        DataOutputStoredConfigurationBody: {
            data: components["schemas"]["StoredConfiguration"];
        };
        DataOutputUIMessagesBody: {
            data: components["schemas"]["UIMessages"];
        };
        DataOutputUserGroupBody: {
            data: components["schemas"]["UserGroup"];
        };
        DataOutputValidationBody: {
            data: components["schemas"]["Validation"];
        };
        DataStruct: {
            /**
             * Format: int64
             * @description The largest audio file accepted, in bytes.
             * @example 26214400
             */
            attachment_max_audio_bytes: number;
            /**
             * Format: int64
             * @description The largest document file accepted, in bytes.
             * @example 20971520
             */
            attachment_max_document_bytes: number;
            /**
             * Format: int64
             * @description The largest photo file accepted, in bytes.
             * @example 10485760
             */
            attachment_max_photo_bytes: number;
            /**
             * Format: int64
             * @description How many attachments one record may hold, all fields together.
             * @example 50
             */
            attachments_per_record: number;
            cors_origins: string[] | null;
            offline_unlock: string;
            time_zone: string;
        };
        Delivery: {
            /** Format: int64 */
            attempts: number;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            kind: string;
            last_error?: string;
            /** @description The recipient's email. */
            recipient: string;
            record_id?: string;
            /** Format: date-time */
            sent_at?: string;
            /** @enum {string} */
            status: "queued" | "sending" | "sent" | "failed" | "skipped";
        };
        Device: {
            /** Format: date-time */
            created_at: string;
            id: string;
            /** @description The name the person gave the device, e.g. "Work phone". */
            label: string;
            /**
             * Format: date-time
             * @description When the key was last released to the device.
             */
            last_released_at?: string;
            /** Format: date-time */
            revoked_at?: string;
            /** @description Who revoked it, e.g. user:<id>. */
            revoked_by?: string;
            /** @enum {string} */
            revoked_reason?: "owner" | "administrator" | "user_disabled";
            /** @description The browser's User-Agent when it was registered. */
            user_agent: string;
            user_id: string;
        };
        DeviceKeyOutputBody: {
            data: components["schemas"]["Device"];
            /** @description The device key: 32 random bytes, base64url without padding. Kept by the server and released again only to this person's signed-in browser (GET /api/v2/devices/{id}/key) until the device is revoked. */
            key: string;
        };
        DeviceListOutputBody: {
            data: components["schemas"]["Device"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        Download: {
            /** @description The media type detected from the content (and checked against the declared one). */
            content_type: string;
            /** Format: date-time */
            created_at: string;
            /** @description Who uploaded it (email, or a service account's name). */
            created_by: string;
            /**
             * Format: date
             * @description When the photo was taken or the document issued, as the uploader said.
             */
            date?: string;
            description?: string;
            /** Format: date-time */
            download_expires_at: string;
            /** Format: uri */
            download_url: string;
            /** @description The upload field whose value lists this attachment's id. */
            field_name: string;
            file_name: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            record_id: string;
            /** @enum {string} */
            record_type: "case" | "tracing_request" | "incident";
            /** @description SHA-256 of the content, hex. */
            sha256: string;
            /**
             * Format: int64
             * @description Bytes.
             */
            size: number;
        };
        DownloadOutputBody: {
            data: components["schemas"]["Download"];
        };
        DuplicateJSON: {
            /** @description What the case shares with the one about to be created. */
            reasons: components["schemas"]["Reason"][] | null;
            /** @description A record: its core attributes (below, set by the server unless said) and its configured fields (docs/configuration.md), side by side in one object. Only the fields of forms the caller's role may read are present; with hidden_name, name fields read "*****" for all but the owner and holders of <type>:view_hidden_name. */
            record: {
                /** @description The owner and the users assigned to the record. */
                associated_user_ids?: string[];
                /**
                 * Format: uuid
                 * @description Incidents: the case it was created from.
                 */
                case_id?: string | null;
                /**
                 * Format: date-time
                 * @description When it was created.
                 */
                created_at?: string;
                /** @description Who created it. */
                created_by?: string;
                /** @description Flagged for attention. */
                flagged?: boolean;
                /** @description Masks the child's name fields; settable. */
                hidden_name?: boolean;
                /**
                 * Format: uuid
                 * @description The record's id; a client may choose it on create (offline clients).
                 */
                id?: string;
                /** @description Cases: the incidents created from it. */
                incident_ids?: string[];
                /** @description The module (e.g. primeromodule-cp); settable on create. */
                module_id?: string;
                /** @description The owner's user name (email). */
                owned_by?: string;
                /** @description The owner's agency (unique_id). */
                owned_by_agency_id?: string;
                /** @description False once disabled. */
                record_state?: boolean;
                /** @enum {string} */
                record_type?: "case" | "tracing_request" | "incident";
                /** @description A short id for people, unique in the country instance. */
                short_id?: string;
                /** @enum {string} */
                status?: "open" | "closed";
                /**
                 * Format: date-time
                 * @description When it was changed last.
                 */
                updated_at?: string;
                /** @description Who changed it last. */
                updated_by?: string;
                /**
                 * Format: int64
                 * @description +1 on every write; the ETag.
                 */
                version?: number;
                /** @description Where the record is in its workflow (e.g. new). */
                workflow?: string;
            } & {
                [key: string]: unknown;
            };
            /**
             * Format: double
             * @description 1 for an ID field in common; else name (0.6), date of birth or age (0.2), sex (0.1) and location (0.1) add up.
             */
            score: number;
        };
        DuplicatesOutputBody: {
            data: components["schemas"]["DuplicateJSON"][] | null;
        };
        Erasable: {
            /**
             * Format: date-time
             * @description When the record was last disabled (absent if its change log does not say).
             */
            disabled_at?: string;
            /** @description Who disabled it: their email (a service account's or system actor's name). */
            disabled_by?: string;
            /**
             * Format: uuid
             * @description The record's id, for the erasure (DELETE).
             */
            id: string;
            /** @enum {string} */
            record_type: "case" | "tracing_request" | "incident";
            /** @description The 7-character id shown on the record's page. */
            short_id: string;
        };
        EraseData: {
            /**
             * @description Why the record is erased: registered by mistake, a right-to-erasure request, a duplicate, or another reason. Kept in the audit log.
             * @enum {string}
             */
            reason: "registered_by_mistake" | "erasure_request" | "duplicate" | "other";
            /** @description Optional: the request or ticket behind the erasure (e.g. DPO-2026-041), kept in the audit log. Letters, digits, dots, underscores, slashes and hyphens only: no names. */
            reference?: string;
        };
        EraseRecordInputBody: {
            data: components["schemas"]["EraseData"];
        };
        EstimationReport: {
            /** Format: int64 */
            blocked_pairs: number;
            /** Format: int64 */
            cases: number;
            /** Format: int64 */
            confirmed: number;
            family_class: boolean;
            /** Format: int64 */
            iterations: number;
            /** Format: double */
            log_likelihood: number;
            /** Format: int64 */
            random_pairs: number;
            /** Format: int64 */
            traces: number;
        };
        ExportOutputBody: {
            data: components["schemas"]["Bundle"];
        };
        Field: {
            /** @description calculated: how the value is computed. */
            calculation?: components["schemas"]["Calculation"];
            date_include_time?: boolean;
            /** @enum {string} */
            date_validation?: "default_date_validation" | "not_future_date";
            /** @description An expression over other fields: the field is shown, writable and required only when it holds. */
            display_conditions?: unknown;
            /** @description The label by locale. */
            display_name: {
                [key: string]: string;
            };
            /** @description Defaults to true; false: read-only for everyone. */
            editable?: boolean;
            /** @description Offered as a list filter. */
            filterable?: boolean;
            guiding_questions?: {
                [key: string]: string;
            };
            help_text?: {
                [key: string]: string;
            };
            hide_on_view_page?: boolean;
            /** @description An identifier: exact ID search and duplicate checks. */
            id_field?: boolean;
            integer?: boolean;
            /**
             * Format: int64
             * @description Deepest admin level accepted (0 country to 5); default 5.
             */
            location_admin_level?: number;
            /** @description Compared by tracing (FTR) matching. */
            matchable?: boolean;
            /**
             * Format: int64
             * @description Upload boxes; default 10.
             */
            max_attachments?: number;
            /**
             * Format: int64
             * @description text_field (default 500), textarea (default 10000).
             */
            max_length?: number;
            /** Format: double */
            max_value?: number;
            /** Format: double */
            min_value?: number;
            /** @description Defaults to true. */
            mobile_visible?: boolean;
            /** @description select_box: the value is an array of option ids. */
            multi_select?: boolean;
            /**
             * @description The key in record data; immutable once records use it.
             * @example name_first
             */
            name: string;
            /**
             * @description select_box, radio_button: "lookup <lookup unique_id>".
             * @example lookup lookup-sex
             */
            option_strings_source?: string;
            /** @description select_box, radio_button: inline options. */
            option_strings_text?: components["schemas"]["Option"][] | null;
            /** @description A phone number: normalised, exact phone search. */
            phone_number?: boolean;
            /** @description A value must be present when the field is shown. */
            required?: boolean;
            /**
             * Format: int64
             * @description subform: default 100.
             */
            subform_max_rows?: number;
            /** @description subform: the nested form of its rows. */
            subform_section_unique_id?: string;
            /** @description subform: a field of the nested form. */
            subform_sort_by?: string;
            /** @description tally_field: the things counted. */
            tally?: components["schemas"]["Option"][] | null;
            tick_box_label?: {
                [key: string]: string;
            };
            /** @enum {string} */
            type: "text_field" | "textarea" | "select_box" | "radio_button" | "tick_box" | "numeric_field" | "date_field" | "date_range" | "location" | "photo_upload_box" | "audio_upload_box" | "document_upload_box" | "subform" | "separator" | "tally_field" | "calculated";
            /** @description Defaults to true; false hides the field everywhere (kept in data, not writable). */
            visible?: boolean;
        };
        FieldChange: {
            from?: unknown;
            /** @enum {string} */
            op?: "add" | "remove";
            path: string;
            to?: unknown;
        };
        FindErasableOutputBody: {
            data: components["schemas"]["Erasable"];
        };
        Flag: {
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date
             * @description An optional date the flag is about (e.g. a deadline).
             */
            date: string | null;
            flagged_by: string;
            /** Format: uuid */
            id: string;
            message: string;
            /** Format: uuid */
            record_id: string;
            /** @enum {string} */
            record_type: "case" | "tracing_request" | "incident";
            removed: boolean;
            /** Format: date-time */
            removed_at?: string;
            removed_by?: string;
            short_id: string;
            unflag_message?: string;
        };
        FlagData: {
            /**
             * Format: date
             * @description An optional date the flag is about.
             */
            date?: string;
            /** @description Why the case is flagged. */
            message: string;
        };
        FlagOutputBody: {
            data: components["schemas"]["Flag"];
        };
        Form: {
            /** @description Part of the default configuration: may be changed, never deleted. Set only by the default configuration and bundles. */
            core_form: boolean;
            description?: {
                [key: string]: string;
            };
            fields: components["schemas"]["Field"][] | null;
            /** @example identification_registration */
            form_group_id?: string;
            form_group_name?: {
                [key: string]: string;
            };
            /** @description The field set of a subform's rows, not shown on its own; immutable. */
            is_nested: boolean;
            /**
             * @description The modules showing this form.
             * @example [
             *       "primeromodule-cp"
             *     ]
             */
            module_ids: string[] | null;
            name: {
                [key: string]: string;
            };
            /** Format: int64 */
            order: number;
            /** Format: int64 */
            order_form_group: number;
            /**
             * @description The record type; immutable.
             * @enum {string}
             */
            parent_form: "case" | "tracing_request" | "incident";
            /**
             * @description Unique in the tenant, immutable.
             * @example basic_identity
             */
            unique_id: string;
            /** @description Defaults to true. */
            visible?: boolean;
        };
        FormPatch: {
            /** @description Cannot change; accepted when equal. */
            core_form?: boolean;
            description?: {
                [key: string]: string;
            };
            /** @description The whole list of fields, in order. */
            fields?: components["schemas"]["Field"][] | null;
            form_group_id?: string;
            form_group_name?: {
                [key: string]: string;
            };
            /** @description Cannot change; accepted when equal. */
            is_nested?: boolean;
            module_ids?: string[] | null;
            name?: {
                [key: string]: string;
            };
            /** Format: int64 */
            order?: number;
            /** Format: int64 */
            order_form_group?: number;
            /** @description Cannot change; accepted when equal. */
            parent_form?: string;
            /** @description Cannot change; accepted when equal. */
            unique_id?: string;
            visible?: boolean;
        };
        HistoryEntry: {
            /** @enum {string} */
            action: "create" | "update" | "disable" | "enable" | "attachment_added" | "attachment_removed" | "assign" | "referral" | "transfer" | "transfer_request";
            /** Format: date-time */
            datetime: string;
            record_changes: components["schemas"]["FieldChange"][] | null;
            user_name: string;
            /** Format: int64 */
            version: number;
        };
        HistoryOutputBody: {
            data: components["schemas"]["HistoryEntry"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        Import: {
            /** Format: date-time */
            created_at: string;
            created_by: string;
            /** @description Why the import failed as a whole (the file was not applied). */
            failure?: string;
            filename: string;
            /** Format: date-time */
            finished_at?: string;
            /** @enum {string} */
            format: "csv" | "hxl";
            /** Format: uuid */
            id: string;
            /**
             * Format: int64
             * @description Rows applied (added, changed or already as wanted), once succeeded.
             */
            rows_applied: number;
            /**
             * Format: int64
             * @description Rows settled so far: rows_done of rows_total is the progress.
             */
            rows_done: number;
            /**
             * Format: int64
             * @description Rows refused, each with its reason in the report.
             */
            rows_invalid: number;
            /**
             * Format: int64
             * @description Data rows in the file.
             */
            rows_total: number;
            /** Format: date-time */
            started_at?: string;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed";
        };
        ImportInputBody: {
            /** @description A bundle, as GET /api/v2/configuration exports it. */
            data: components["schemas"]["Bundle"];
        };
        ImportOutputBody: {
            data: components["schemas"]["Import"];
        };
        ImportReport: {
            /** Format: date-time */
            created_at: string;
            created_by: string;
            /** @description Why the import failed as a whole (the file was not applied). */
            failure?: string;
            filename: string;
            /** Format: date-time */
            finished_at?: string;
            /** @enum {string} */
            format: "csv" | "hxl";
            /** Format: uuid */
            id: string;
            /** @description One entry per data row, in file order (this page), written when the import has run. */
            report: components["schemas"]["ReportRow"][] | null;
            /**
             * Format: int64
             * @description Rows applied (added, changed or already as wanted), once succeeded.
             */
            rows_applied: number;
            /**
             * Format: int64
             * @description Rows settled so far: rows_done of rows_total is the progress.
             */
            rows_done: number;
            /**
             * Format: int64
             * @description Rows refused, each with its reason in the report.
             */
            rows_invalid: number;
            /**
             * Format: int64
             * @description Data rows in the file.
             */
            rows_total: number;
            /** Format: date-time */
            started_at?: string;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed";
        };
        ImportReportOutputBody: {
            data: components["schemas"]["ImportReport"];
            /** @description Paging of the report. */
            metadata: components["schemas"]["ListMetadata"];
        };
        ImportResult: {
            changes: components["schemas"]["Change"][] | null;
            /** Format: int64 */
            configuration_version: number;
            dry_run: boolean;
        };
        InviteUserInputBody: {
            /** @example agency-unicef */
            agency_unique_id: string;
            /**
             * Format: email
             * @description The person's email address: the invitation goes there and it is their sign-in name.
             */
            email: string;
            full_name: string;
            /**
             * @description Language of the invitation and of the user interface.
             * @default en
             */
            locale: string;
            /** @example role-caseworker */
            role_unique_id: string;
            /**
             * @description The person's IANA time zone (Africa/Nairobi); absent or empty: the instance's default (system_settings.time_zone).
             * @example Africa/Nairobi
             */
            time_zone?: string;
            user_group_unique_ids?: string[] | null;
        };
        IssueAPIKeyInputBody: {
            /**
             * Format: date-time
             * @description When the key stops working; omit for no expiry.
             */
            expires_at?: string;
            /** @example production */
            name: string;
        };
        IssueAPIKeyOutputBody: {
            data: components["schemas"]["APIKey"];
            /** @description The API key. Shown only now: store it safely; it cannot be shown again. */
            key: string;
        };
        LevelWeight: {
            level: string;
            /**
             * Format: double
             * @description How often a trace and its child's registration compare at this level.
             */
            m: number;
            /**
             * Format: double
             * @description How often a trace and an unrelated child's registration do.
             */
            u: number;
            /**
             * Format: double
             * @description log2(m/u) in bits, what a pair at this level adds to its match weight (agreement on a name is adjusted by how common the name is). Absent for missing and for levels the comparison never reaches.
             */
            weight?: number;
        };
        ListAlertsOutputBody: {
            data: components["schemas"]["Alert"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListApprovalsOutputBody: {
            data: components["schemas"]["QueuedApproval"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListFlagsOutputBody: {
            data: components["schemas"]["Flag"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListMetadata: {
            /**
             * Format: int64
             * @description This page's number, from 1.
             */
            page: number;
            /**
             * Format: int64
             * @description Items per page.
             */
            per: number;
            /**
             * Format: int64
             * @description Number of items in all pages.
             */
            total: number;
        };
        ListNotificationsOutputBody: {
            data: components["schemas"]["Delivery"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputAgencyBody: {
            data: components["schemas"]["Agency"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputFormBody: {
            data: components["schemas"]["Form"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputLocationBody: {
            data: components["schemas"]["Location"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputLookupBody: {
            data: components["schemas"]["Lookup"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputModuleConfigBody: {
            data: components["schemas"]["ModuleConfig"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputParametersVersionBody: {
            data: components["schemas"]["ParametersVersion"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputPotentialMatchBody: {
            data: components["schemas"]["PotentialMatch"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputRunBody: {
            data: components["schemas"]["Run"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputUserGroupBody: {
            data: components["schemas"]["UserGroup"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListTasksOutputBody: {
            data: components["schemas"]["Task"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListTransitionsOutputBody: {
            data: components["schemas"]["QueuedTransition"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        Location: {
            /** Format: int64 */
            admin_level: number;
            /** @example DL0102 */
            code: string;
            /** Format: date-time */
            created_at: string;
            /** @description A disabled location stays valid in existing records but is not offered for new ones. */
            disabled: boolean;
            /**
             * @description Codes from the root down to this location, itself included.
             * @example [
             *       "DL",
             *       "DL01",
             *       "DL0102"
             *     ]
             */
            hierarchy: string[] | null;
            /** @description Stable internal id (audit log); records refer to the code. */
            id: string;
            /**
             * @description The name by locale.
             * @example {
             *       "ar": "أمارا",
             *       "en": "Amara"
             *     }
             */
            name: {
                [key: string]: string;
            };
            /** @description Absent for a root (usually the country). */
            parent_code?: string;
            /** @example district */
            type: string;
            /** Format: date-time */
            updated_at: string;
        };
        LocationLevel: {
            /** Format: int64 */
            admin_level: number;
            name: string;
        };
        Lookup: {
            name: {
                [key: string]: string;
            };
            /** @example lookup-sex */
            unique_id: string;
            values: components["schemas"]["Option"][] | null;
        };
        LookupPatch: {
            name?: {
                [key: string]: string;
            };
            /** @description The whole list of options, in order. */
            values?: components["schemas"]["Option"][] | null;
        };
        MarkAlertsReadInputBody: {
            data: components["schemas"]["AlertsReadRequest"];
        };
        MarkAlertsReadOutputBody: {
            data: components["schemas"]["AlertsReadResult"];
        };
        MatchingConfigurationInputBody: {
            data: components["schemas"]["Configuration"];
        };
        Module: {
            associated_record_types: string[] | null;
            name: {
                [key: string]: string;
            };
            unique_id: string;
        };
        ModuleConfig: {
            associated_record_types: string[] | null;
            name: {
                [key: string]: string;
            };
            options: components["schemas"]["ModuleOptions"];
            /** @example primeromodule-cp */
            unique_id: string;
        };
        ModuleOptions: {
            /**
             * @description Which approvals are used.
             * @example [
             *       "assessment",
             *       "case_plan",
             *       "closure",
             *       "action_plan"
             *     ]
             */
            approvals?: string[] | null;
            /** @description Cases may be referred. */
            referral?: boolean;
            /** @description Family tracing (tracing requests and matching). */
            tracing?: boolean;
            /** @description Cases may be transferred. */
            transfer?: boolean;
        };
        ModulePatch: {
            name?: {
                [key: string]: string;
            };
            options?: components["schemas"]["ModuleOptions"];
        };
        Note: {
            /** @description The note. */
            field_notes_subform_fields: string;
            /** @description Who added it: the user's email (set by the server). */
            note_created_by: string;
            note_subject: string;
            /**
             * Format: date-time
             * @description When the note was added (set by the server).
             */
            notes_date: string;
            /** Format: uuid */
            unique_id: string;
        };
        NoteData: {
            /** @description The note. */
            field_notes_subform_fields: string;
            /** @description The note's subject. */
            note_subject: string;
        };
        NoteOutputBody: {
            data: components["schemas"]["Note"];
        };
        NotificationSettingsOutputBody: {
            /** @description Each kind of email and whether the user receives it. */
            data: components["schemas"]["Setting"][] | null;
        };
        Option: {
            /** @description No new value may choose it; records keep it. */
            disabled?: boolean;
            /** @description The label by locale. */
            display_text: {
                [key: string]: string;
            };
            /**
             * @description Stored in record data; never changes.
             * @example female
             */
            id: string;
        };
        POImport: {
            /**
             * Format: int64
             * @description Entries whose text changed.
             */
            applied: number;
            /** Format: int64 */
            configuration_version?: number;
            /** Format: date-time */
            created_at: string;
            created_by: string;
            /**
             * Format: int64
             * @description Entries settled so far: entries_done of entries_total is the progress.
             */
            entries_done: number;
            /**
             * Format: int64
             * @description Entries in the file (the header left out).
             */
            entries_total: number;
            /** @description Why the import failed as a whole (nothing was applied). */
            failure?: string;
            filename: string;
            /** Format: date-time */
            finished_at?: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: int64
             * @description Entries refused: placeholders differ from the source's, too long, plural forms.
             */
            invalid: number;
            /** @example fr */
            locale: string;
            /**
             * Format: int64
             * @description Entries with no translation (empty msgstr) or marked fuzzy.
             */
            skipped: number;
            /**
             * Format: int64
             * @description Entries translated from a source text that has changed since (msgid differs): not applied.
             */
            stale: number;
            /** Format: date-time */
            started_at?: string;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed";
            /**
             * Format: int64
             * @description Entries whose text was already the file's.
             */
            unchanged: number;
            /**
             * Format: int64
             * @description Entries whose msgctxt addresses no text of this instance.
             */
            unknown: number;
        };
        ParametersVersion: {
            /** @description How match weights become probabilities (docs/matching.md, The model). */
            calibration: components["schemas"]["Calibration"];
            /**
             * Format: int64
             * @description Consenting cases when estimated: a pair's prior probability is prior / cases.
             */
            cases: number;
            comparisons: components["schemas"]["ComparisonWeights"][] | null;
            /**
             * Format: int64
             * @description The matching configuration it was estimated under (0: the defaults).
             */
            configuration_version: number;
            /** Format: date-time */
            estimated_at: string;
            estimation: components["schemas"]["EstimationReport"];
            /**
             * Format: double
             * @description The share of traces whose child is registered, as used: the configuration's stated prior, else prior_estimated.
             */
            prior: number;
            /**
             * Format: double
             * @description That share as estimated from the tenant's data (0 when the configuration states it).
             */
            prior_estimated: number;
            /**
             * Format: double
             * @description Brothers and sisters of a trace's child expected among the cases.
             */
            siblings: number;
            /**
             * Format: int64
             * @description Each potential match records the version it was scored with.
             */
            version: number;
        };
        PhoneCallingCode: {
            /**
             * @description The country calling code, digits without +; empty: none (numbers match on all their digits as written).
             * @example 254
             */
            phone_calling_code: string;
            /** @description The rewrite of the stored phone numbers after the latest change; absent if the code never changed through the API. */
            rewrite?: components["schemas"]["PhoneRewrite"];
        };
        PhoneCallingCodeOutputBody: {
            data: components["schemas"]["PhoneCallingCode"];
        };
        PhoneRewrite: {
            /**
             * Format: date-time
             * @description When every record had its numbers in the form this code gives.
             */
            finished_at?: string;
            /** @description The code this change set. */
            phone_calling_code: string;
            /**
             * Format: int64
             * @description Records whose stored phone numbers changed.
             */
            records_changed: number;
            /**
             * Format: int64
             * @description Records looked at: records_done of records_total is the progress.
             */
            records_done: number;
            /**
             * Format: int64
             * @description Records to look at (0 until the job starts).
             */
            records_total: number;
            /** Format: date-time */
            requested_at: string;
            requested_by: string;
        };
        PotentialMatch: {
            /** Format: uuid */
            case_id: string;
            case_short_id: string;
            comparisons: components["schemas"]["StoredComparison"][] | null;
            /**
             * Format: double
             * @description Part of the weight a brother or sister would explain as well.
             */
            family_adjustment: number;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            label: "likely" | "possible" | "unlikely";
            /** Format: date-time */
            matched_at: string;
            note: string;
            /** Format: int64 */
            parameters_version: number;
            /**
             * Format: double
             * @description Probability that the case is the child the trace seeks (calibrated; docs/matching.md).
             */
            probability: number;
            /** Format: date-time */
            reviewed_at?: string;
            reviewed_by?: string;
            /** @enum {string} */
            status: "pending" | "confirmed" | "rejected" | "closed";
            /** Format: uuid */
            trace_id: string;
            /** Format: uuid */
            tracing_request_id: string;
            /**
             * Format: double
             * @description Match weight in bits (log2 likelihood ratio).
             */
            weight: number;
        };
        PotentialMatchReview: {
            /**
             * @description confirm: the case is the trace's child (links them, closes the trace's other potential matches, alerts the owners); reject: it is not (never proposed again).
             * @enum {string}
             */
            action: "confirm" | "reject";
            /** @description Why (kept with the decision). */
            note?: string;
        };
        Problem: {
            /**
             * @description The problem's stable machine code, to translate or act on (docs/errors.md; always sent): e.g. not_found, invalid, forbidden, unauthenticated, conflict, stale, precondition_required, consent_required, sharing_protocol, locale_in_use, already_exists, record_disabled, record_enabled, case_status, transition_state, in_use, beyond_role, transition_forbidden; else the HTTP status in snake case (bad_request, unsupported_media_type...).
             * @example not_found
             */
            code?: string;
            /**
             * @description What happened this time, in the caller's language.
             * @example Resource not found or you do not have access to it.
             */
            detail?: string;
            /** @description The bad values, one per location. */
            errors?: components["schemas"]["ProblemDetail"][] | null;
            /**
             * Format: uri
             * @description A URI reference that identifies the specific occurrence of the problem.
             */
            instance?: string;
            /**
             * Format: int64
             * @description HTTP status code
             * @example 422
             */
            status?: number;
            /**
             * @description A short summary of the problem type, in the caller's language.
             * @example Unprocessable Entity
             */
            title?: string;
            /**
             * Format: uri
             * @description A URI reference to human-readable documentation for the error.
             * @default about:blank
             */
            type: string;
        };
        ProblemDetail: {
            /**
             * @description The error's stable machine code (docs/errors.md; always sent): e.g. required, max_length, min_length, type, pattern, one_of, unknown_field, unknown_property, not_an_option, option_disabled, not_writable, date_format, future_date, duplicate, json_syntax, encoding; invalid when it has no more specific one.
             * @example max_length
             */
            code?: string;
            /** @description Where the error occurred, e.g. 'body.items[3].tags' or 'path.thing-id' */
            location?: string;
            /** @description Why the value is refused, in the caller's language. */
            message?: string;
            /** @description The values the message is worded with, by the placeholder names of its code's wording (docs/errors.md), e.g. {"max": "200"}: to word the reason in another language from its code. */
            params?: {
                [key: string]: string;
            };
            /** @description The value at the location, echoed back (shortened). */
            value?: unknown;
        };
        ProtocolInputBody: {
            /** @description Every pair of agencies allowed to refer and/or transfer across; the rest may not. */
            data: components["schemas"]["ProtocolRule"][] | null;
        };
        ProtocolOutputBody: {
            data: components["schemas"]["ProtocolRule"][] | null;
        };
        ProtocolRule: {
            /** @description The sending agency's unique_id. */
            from_agency: string;
            /** @description The sending agency may refer cases to the receiving one. */
            referral?: boolean;
            /** @description The receiving agency's unique_id. */
            to_agency: string;
            /** @description The sending agency may transfer cases to the receiving one. */
            transfer?: boolean;
        };
        QueuedApproval: {
            /** Format: date-time */
            answered_at?: string;
            /** @description The answer's notes (why rejected). */
            approval_notes?: string;
            /** @enum {string} */
            approval_status: "requested" | "approved" | "rejected";
            /** @enum {string} */
            approval_type: "assessment" | "case_plan" | "closure" | "action_plan" | "gbv_closure";
            /** @description Who answered (email). */
            approved_by?: string;
            /** Format: uuid */
            id: string;
            /** @description The caller may approve or reject it now. */
            may_answer: boolean;
            /** @description The case's name as the caller may see it (absent when its role does not read the name fields, ***** when the case hides the name). */
            name?: string;
            /** @description The request's notes. */
            notes: string;
            /** Format: uuid */
            record_id: string;
            /** Format: date-time */
            requested_at: string;
            /** @description The requester's email. */
            requested_by: string;
            /** @description The case's short id. */
            short_id: string;
        };
        QueuedTransition: {
            /** @description A referral: that role's name by locale (readable without roles:read). */
            authorized_role_name?: {
                [key: string]: string;
            };
            /** @description A referral: the role whose forms the receiver reads. */
            authorized_role_unique_id?: string;
            consent_overridden: boolean;
            consent_override_reason?: string;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description The caller may answer it now (accept, reject; a referral also done). */
            may_answer: boolean;
            /** @description The caller sent it and may revoke it now. */
            may_revoke: boolean;
            /** @description The case's name as the caller may see it: absent when the caller's role (or the referral's access role) does not read the name fields, ***** when the case hides the name. */
            name?: string;
            notes: string;
            /** Format: uuid */
            record_id: string;
            /** @enum {string} */
            record_type: "case";
            /** @description The notes of the answer (a rejection's reason). */
            rejected_reason?: string;
            /** Format: date-time */
            responded_at?: string;
            responded_by?: string;
            service?: string;
            /** @description The case's short id. */
            short_id: string;
            /** @enum {string} */
            status: "in_progress" | "accepted" | "rejected" | "done" | "revoked";
            /** @description The sender's email (or service account name). */
            transitioned_by: string;
            /** @description The sending agency's unique_id. */
            transitioned_from_agency: string;
            /** @description The receiver's email. */
            transitioned_to: string;
            /** @description The receiving agency's unique_id. */
            transitioned_to_agency: string;
            /** @enum {string} */
            type: "assign" | "referral" | "transfer" | "transfer_request" | "close" | "reopen";
            /** Format: date-time */
            updated_at: string;
        };
        Reason: {
            field: string;
            /** @enum {string} */
            match: "exact" | "phonetic" | "close";
        };
        Receiver: {
            /** @description The user's agency (unique_id): the transitioned_to_agency of a transition. */
            agency_id: string;
            /** @description The agency's name by locale. */
            agency_name: {
                [key: string]: string;
            };
            full_name: string;
            /** @description The user's role (unique_id). */
            role: string;
            /** @description The user's email: the transitioned_to of a transition. */
            user_name: string;
        };
        ReceiversOutputBody: {
            data: components["schemas"]["Receiver"][] | null;
        };
        RecordListMetadata: {
            /** @description When ordered by updated_at ascending and more records follow: pass it as cursor to continue after this page (sync clients). */
            cursor?: string;
            /**
             * Format: int64
             * @description This page's number, from 1.
             */
            page: number;
            /**
             * Format: int64
             * @description Records per page.
             */
            per: number;
            /**
             * Format: int64
             * @description Number of records matching, in all pages, within the caller's scope.
             */
            total: number;
        };
        RecordListOutputBody: {
            data: ({
                /** @description The owner and the users assigned to the record. */
                associated_user_ids?: string[];
                /**
                 * Format: uuid
                 * @description Incidents: the case it was created from.
                 */
                case_id?: string | null;
                /**
                 * Format: date-time
                 * @description When it was created.
                 */
                created_at?: string;
                /** @description Who created it. */
                created_by?: string;
                /** @description Flagged for attention. */
                flagged?: boolean;
                /** @description Masks the child's name fields; settable. */
                hidden_name?: boolean;
                /**
                 * Format: uuid
                 * @description The record's id; a client may choose it on create (offline clients).
                 */
                id?: string;
                /** @description Cases: the incidents created from it. */
                incident_ids?: string[];
                /** @description The module (e.g. primeromodule-cp); settable on create. */
                module_id?: string;
                /** @description The owner's user name (email). */
                owned_by?: string;
                /** @description The owner's agency (unique_id). */
                owned_by_agency_id?: string;
                /** @description False once disabled. */
                record_state?: boolean;
                /** @enum {string} */
                record_type?: "case" | "tracing_request" | "incident";
                /** @description A short id for people, unique in the country instance. */
                short_id?: string;
                /** @enum {string} */
                status?: "open" | "closed";
                /**
                 * Format: date-time
                 * @description When it was changed last.
                 */
                updated_at?: string;
                /** @description Who changed it last. */
                updated_by?: string;
                /**
                 * Format: int64
                 * @description +1 on every write; the ETag.
                 */
                version?: number;
                /** @description Where the record is in its workflow (e.g. new). */
                workflow?: string;
            } & {
                [key: string]: unknown;
            })[] | null;
            metadata: components["schemas"]["RecordListMetadata"];
        };
        RecordOutputBody: {
            /** @description A record: its core attributes (below, set by the server unless said) and its configured fields (docs/configuration.md), side by side in one object. Only the fields of forms the caller's role may read are present; with hidden_name, name fields read "*****" for all but the owner and holders of <type>:view_hidden_name. */
            data: {
                /** @description The owner and the users assigned to the record. */
                associated_user_ids?: string[];
                /**
                 * Format: uuid
                 * @description Incidents: the case it was created from.
                 */
                case_id?: string | null;
                /**
                 * Format: date-time
                 * @description When it was created.
                 */
                created_at?: string;
                /** @description Who created it. */
                created_by?: string;
                /** @description Flagged for attention. */
                flagged?: boolean;
                /** @description Masks the child's name fields; settable. */
                hidden_name?: boolean;
                /**
                 * Format: uuid
                 * @description The record's id; a client may choose it on create (offline clients).
                 */
                id?: string;
                /** @description Cases: the incidents created from it. */
                incident_ids?: string[];
                /** @description The module (e.g. primeromodule-cp); settable on create. */
                module_id?: string;
                /** @description The owner's user name (email). */
                owned_by?: string;
                /** @description The owner's agency (unique_id). */
                owned_by_agency_id?: string;
                /** @description False once disabled. */
                record_state?: boolean;
                /** @enum {string} */
                record_type?: "case" | "tracing_request" | "incident";
                /** @description A short id for people, unique in the country instance. */
                short_id?: string;
                /** @enum {string} */
                status?: "open" | "closed";
                /**
                 * Format: date-time
                 * @description When it was changed last.
                 */
                updated_at?: string;
                /** @description Who changed it last. */
                updated_by?: string;
                /**
                 * Format: int64
                 * @description +1 on every write; the ETag.
                 */
                version?: number;
                /** @description Where the record is in its workflow (e.g. new). */
                workflow?: string;
            } & {
                [key: string]: unknown;
            };
        };
        RecordWriteBody: {
            /** @description The record as one flat object: its configured fields (docs/configuration.md), and on create optionally id, module_id and hidden_name. On update hidden_name may change; other core attributes sent back are ignored. Subform rows are matched by unique_id; in a PATCH a row with "_destroy": true is removed. */
            data: {
                /** @description Mask the child's name fields for all but the owner and holders of <type>:view_hidden_name. */
                hidden_name?: boolean;
                /**
                 * Format: uuid
                 * @description On create: the record's id, chosen by the client (offline clients); the same request sent again answers as the first did.
                 */
                id?: string;
                /** @description On create: the module (defaults to the only one of the record type). */
                module_id?: string;
            } & {
                [key: string]: unknown;
            };
        };
        ReferableRole: {
            /** @description The role's name by locale. */
            name: {
                [key: string]: string;
            };
            unique_id: string;
        };
        ReferableRolesOutputBody: {
            data: components["schemas"]["ReferableRole"][] | null;
        };
        RegisterDeviceInputBody: {
            /**
             * @description A name the person recognises the device by.
             * @example Work phone
             */
            label: string;
            /** @description The browser's User-Agent, to recognise the device in the list. */
            user_agent?: string;
        };
        ReleasedKeyOutputBody: {
            /** @description The device key, base64url without padding. */
            key: string;
        };
        ReportEntry: {
            context: string;
            /** Format: int64 */
            line: number;
            /** @enum {string} */
            outcome: "applied" | "unchanged" | "skipped" | "unknown" | "stale" | "invalid";
            /** @description Why the entry was not applied, in English. */
            reason?: string;
            /** @description The reason's stable code, to word it in the reader's language (docs/translations.md): no_context, unknown_context, plural_forms, fuzzy, untranslated, source_changed, nul_character, too_long, placeholders. */
            reason_code?: string;
            /** @description The values the reason's wording needs (source, max, expected, found). */
            reason_params?: {
                [key: string]: string;
            };
        };
        ReportRow: {
            code: string;
            /** @enum {string} */
            outcome: "applied" | "invalid";
            /** @description Why the row was refused, in English. */
            reason?: string;
            /** @description The reason's stable code, to word it in the reader's language (docs/configuration.md): missing_code, code_format, duplicate_code, parent_not_found, level_below_parent... */
            reason_code?: string;
            /** @description The values the reason's wording needs (row, parent, level, max...). */
            reason_params?: {
                [key: string]: string;
            };
            /** Format: int64 */
            row: number;
        };
        ResolveFlagInputBody: {
            data: components["schemas"]["UnflagData"];
        };
        RespondTransitionInputBody: {
            data: components["schemas"]["TransitionAnswer"];
        };
        ReviewPotentialMatchInputBody: {
            data: components["schemas"]["PotentialMatchReview"];
        };
        Role: {
            /** Format: date-time */
            created_at: string;
            description: {
                [key: string]: string;
            };
            form_access: {
                [key: string]: string;
            };
            id: string;
            mfa_required: boolean;
            name: {
                [key: string]: string;
            };
            permissions: string[] | null;
            /** @enum {string} */
            record_scope: "own" | "group" | "agency" | "all";
            unique_id: string;
            /** Format: date-time */
            updated_at: string;
        };
        RoleBody: {
            description?: {
                [key: string]: string;
            };
            /** @description Form unique_id to r (read) or rw (read and write). */
            form_access?: {
                [key: string]: string;
            };
            mfa_required?: boolean;
            name?: {
                [key: string]: string;
            };
            /**
             * @description resource:action pairs of the policy catalogue.
             * @example [
             *       "cases:read",
             *       "cases:write"
             *     ]
             */
            permissions?: string[] | null;
            /** @enum {string} */
            record_scope?: "own" | "group" | "agency" | "all";
            /** @example role-field-officer */
            unique_id?: string;
        };
        RoleListOutputBody: {
            data: components["schemas"]["Role"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        Run: {
            /** Format: date-time */
            created_at: string;
            created_by: string;
            failure?: string;
            /** Format: date-time */
            finished_at?: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: int64
             * @description The parameters estimated for this run.
             */
            parameters_version?: number;
            /** @enum {string} */
            reason: "requested" | "periodic" | "configuration";
            /**
             * @description What the run is doing: queued (waiting for a worker); storing_cases (every consenting case's values and blocking keys stored: stage_done cases read of stage_total); comparing_candidates (the estimation traces compared with their candidates: traces); estimating (expectation-maximisation: iterations, stage_total the most it may take, usually far fewer); matching (traces, as traces_done of traces_total); done. A failed run keeps the stage it failed in.
             * @enum {string}
             */
            stage: "queued" | "storing_cases" | "comparing_candidates" | "estimating" | "matching" | "done";
            /**
             * Format: int64
             * @description How far the stage is: stage_done of stage_total (written every few seconds).
             */
            stage_done: number;
            /** Format: int64 */
            stage_total: number;
            /** Format: date-time */
            started_at?: string;
            /**
             * @description queued until the run is prepared (see stage), running while its traces are matched.
             * @enum {string}
             */
            status: "queued" | "running" | "succeeded" | "failed";
            /**
             * Format: int64
             * @description Traces matched so far: traces_done of traces_total is the matching's progress.
             */
            traces_done: number;
            /** Format: int64 */
            traces_total: number;
        };
        ServiceAccount: {
            agency_unique_id: string;
            /** Format: date-time */
            created_at: string;
            created_by: string;
            disabled: boolean;
            id: string;
            name: string;
            role_unique_id: string;
        };
        ServiceAccountListOutputBody: {
            data: components["schemas"]["ServiceAccount"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ServiceAccountOutputBody: {
            data: components["schemas"]["ServiceAccount"];
        };
        SetPhoneCallingCodeInputBody: {
            /**
             * @description The country calling code: 1 to 4 digits without + and not starting with 0 (E.164 country code, e.g. 254); empty for none.
             * @example 254
             */
            phone_calling_code: string;
        };
        Setting: {
            /** @description Whether the user receives this kind of email. */
            email: boolean;
            /** @enum {string} */
            kind: "assign" | "referral" | "transfer" | "transfer_request" | "referral_accepted" | "referral_rejected" | "referral_done" | "referral_revoked" | "transfer_accepted" | "transfer_rejected" | "transfer_revoked" | "transfer_request_accepted" | "transfer_request_rejected" | "transfer_request_revoked" | "digest";
        };
        Side: {
            alternates?: string[] | null;
            estimated_field?: string;
            fields: string[] | null;
            reference_date_field?: string;
            relation_field?: string;
            subform?: string;
        };
        Spec: {
            /** Format: int64 */
            admin_level: number;
            code: string;
            disabled?: boolean;
            name: {
                [key: string]: string;
            };
            parent_code?: string;
            type?: string;
        };
        StatusChangeData: {
            /** @description Why the case is closed or reopened (the transition's notes). */
            reason: string;
        };
        StatusChangeInputBody: {
            data: components["schemas"]["StatusChangeData"];
        };
        StoredComparison: {
            /** @description The case's values compared (subform fields as subform.field), as the reader may see them. */
            case: {
                [key: string]: unknown;
            };
            comparison: string;
            level: string;
            /** @description The trace's or tracing request's values compared, as the reader may see them. */
            trace: {
                [key: string]: unknown;
            };
            /**
             * Format: double
             * @description Match weight in bits, log2(m/u); 0 when a side is missing.
             */
            weight: number;
        };
        StoredConfiguration: {
            configuration: components["schemas"]["Configuration"];
            /** Format: int64 */
            version: number;
        };
        SystemSettings: {
            /**
             * Format: int64
             * @description The largest audio file accepted, in bytes.
             * @example 26214400
             */
            attachment_max_audio_bytes: number;
            /**
             * Format: int64
             * @description The largest file this server stores, in bytes: the ceiling of the attachment size limits.
             * @example 52428800
             */
            attachment_max_bytes_allowed: number;
            /**
             * Format: int64
             * @description The largest document file accepted, in bytes.
             * @example 20971520
             */
            attachment_max_document_bytes: number;
            /**
             * Format: int64
             * @description The largest photo file accepted, in bytes.
             * @example 10485760
             */
            attachment_max_photo_bytes: number;
            /**
             * Format: int64
             * @description How many attachments one record may hold, all fields together.
             * @example 50
             */
            attachments_per_record: number;
            default_locale: string;
            /**
             * @description Each locale's writing direction: rtl (Arabic, Persian, Urdu, Hebrew, Pashto, Sorani Kurdish...) or ltr.
             * @example {
             *       "ar": "rtl",
             *       "en": "ltr"
             *     }
             */
            directions: {
                [key: string]: string;
            };
            locales: string[] | null;
            modules: components["schemas"]["Module"][] | null;
            name: string;
            /**
             * @description What opens an offline copy: pin (the PIN; the device key is kept on the device, wrapped by the PIN, so the copy opens offline after a restart) or pin_and_server (the PIN and the device key, which the server releases to the signed-in browser and the device never stores: a copied browser profile is useless without the server, and after a restart the copy waits for the connection).
             * @enum {string}
             */
            offline_unlock: "pin" | "pin_and_server";
            /**
             * Format: int64
             * @description A signed-in session ends after this many seconds without a request (the server's configured idle limit).
             * @example 1800
             */
            session_idle_timeout_seconds: number;
            /**
             * Format: int64
             * @description A signed-in session ends this many seconds after sign-in, whatever the activity (the configured session lifespan).
             * @example 43200
             */
            session_lifespan_seconds: number;
            /**
             * @description The default IANA time zone of the instance's users (those without one of their own): their daily digest goes out on their local morning.
             * @example Africa/Nairobi
             */
            time_zone: string;
        };
        SystemSettingsOutputBody: {
            data: components["schemas"]["SystemSettings"];
        };
        Task: {
            /** Format: uuid */
            case_id: string;
            /** @description The service type or follow-up type (a lookup value), or the approval type. */
            detail?: string;
            /** Format: date */
            due_date: string;
            overdue: boolean;
            row_id?: string;
            short_id: string;
            /** @enum {string} */
            type: "assessment" | "case_plan" | "followup" | "service" | "approval";
        };
        Thresholds: {
            /** Format: double */
            likely: number;
            /** Format: double */
            possible: number;
        };
        TraceListOutputBody: {
            data: ({
                /** Format: date-time */
                created_at?: string;
                /**
                 * Format: uuid
                 * @description The row's unique_id.
                 */
                id?: string;
                /**
                 * Format: uuid
                 * @description The case a reviewer confirmed as the child sought (FTR matching); null until then.
                 */
                matched_case_id?: string | null;
                /** Format: uuid */
                tracing_request_id?: string;
                /** Format: date-time */
                updated_at?: string;
            } & {
                [key: string]: unknown;
            })[] | null;
        };
        TraceOutputBody: {
            /** @description A trace: one child sought by a tracing request (a row of its tracing_request_subform_section), with the row's fields. */
            data: {
                /** Format: date-time */
                created_at?: string;
                /**
                 * Format: uuid
                 * @description The row's unique_id.
                 */
                id?: string;
                /**
                 * Format: uuid
                 * @description The case a reviewer confirmed as the child sought (FTR matching); null until then.
                 */
                matched_case_id?: string | null;
                /** Format: uuid */
                tracing_request_id?: string;
                /** Format: date-time */
                updated_at?: string;
            } & {
                [key: string]: unknown;
            };
        };
        Transition: {
            /** @description A referral: that role's name by locale (readable without roles:read). */
            authorized_role_name?: {
                [key: string]: string;
            };
            /** @description A referral: the role whose forms the receiver reads. */
            authorized_role_unique_id?: string;
            consent_overridden: boolean;
            consent_override_reason?: string;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            notes: string;
            /** Format: uuid */
            record_id: string;
            /** @enum {string} */
            record_type: "case";
            /** @description The notes of the answer (a rejection's reason). */
            rejected_reason?: string;
            /** Format: date-time */
            responded_at?: string;
            responded_by?: string;
            service?: string;
            /** @enum {string} */
            status: "in_progress" | "accepted" | "rejected" | "done" | "revoked";
            /** @description The sender's email (or service account name). */
            transitioned_by: string;
            /** @description The sending agency's unique_id. */
            transitioned_from_agency: string;
            /** @description The receiver's email. */
            transitioned_to: string;
            /** @description The receiving agency's unique_id. */
            transitioned_to_agency: string;
            /** @enum {string} */
            type: "assign" | "referral" | "transfer" | "transfer_request" | "close" | "reopen";
            /** Format: date-time */
            updated_at: string;
        };
        TransitionAnswer: {
            /** @description Only when the owner accepts a transfer request to another agency: move the case without the child's recorded consent (needs cases:consent_override and a consent_override_reason). */
            consent_individual_transfer?: boolean;
            /** @description Why consent is overridden (recorded on the transition). */
            consent_override_reason?: string;
            /** @description Notes of the answer (why it is rejected). */
            rejected_reason?: string;
            /**
             * @description accepted, rejected or done (referrals) by the receiver; revoked by the sender.
             * @enum {string}
             */
            status: "accepted" | "rejected" | "done" | "revoked";
        };
        TransitionData: {
            /** @description A referral: the role whose forms the receiver reads the case through; defaults to the receiver's role; required for a referral to an agency without a user. */
            authorized_role_unique_id?: string;
            /** @description Send without the child's recorded consent to share (disclosure_other_orgs): needs cases:consent_override and consent_override_reason. */
            consent_individual_transfer?: boolean;
            /** @description Why consent is overridden (recorded on the transition). */
            consent_override_reason?: string;
            notes?: string;
            /** @description A referral: the service asked for (an option of the service type lookup). */
            service?: string;
            /** @description The receiver's user name (email). Ignored for a transfer request (the owner receives it). */
            transitioned_to?: string;
            /** @description The receiver's agency (unique_id); optional, checked against the receiver's. A referral with this and no transitioned_to goes to the agency's managers (users whose role may assign cases): any of them accepts it (it becomes theirs) or rejects it. */
            transitioned_to_agency?: string;
        };
        TransitionOutputBody: {
            data: components["schemas"]["Transition"];
        };
        TransitionsOutputBody: {
            data: components["schemas"]["Transition"][] | null;
        };
        TranslationImportOutputBody: {
            data: components["schemas"]["POImport"];
        };
        TranslationImportReport: {
            /**
             * Format: int64
             * @description Entries whose text changed.
             */
            applied: number;
            /** Format: int64 */
            configuration_version?: number;
            /** Format: date-time */
            created_at: string;
            created_by: string;
            /**
             * Format: int64
             * @description Entries settled so far: entries_done of entries_total is the progress.
             */
            entries_done: number;
            /**
             * Format: int64
             * @description Entries in the file (the header left out).
             */
            entries_total: number;
            /** @description Why the import failed as a whole (nothing was applied). */
            failure?: string;
            filename: string;
            /** Format: date-time */
            finished_at?: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: int64
             * @description Entries refused: placeholders differ from the source's, too long, plural forms.
             */
            invalid: number;
            /** @example fr */
            locale: string;
            /** @description One entry per PO entry, in file order (this page), written when the import has run. */
            report: components["schemas"]["ReportEntry"][] | null;
            /**
             * Format: int64
             * @description Entries with no translation (empty msgstr) or marked fuzzy.
             */
            skipped: number;
            /**
             * Format: int64
             * @description Entries translated from a source text that has changed since (msgid differs): not applied.
             */
            stale: number;
            /** Format: date-time */
            started_at?: string;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed";
            /**
             * Format: int64
             * @description Entries whose text was already the file's.
             */
            unchanged: number;
            /**
             * Format: int64
             * @description Entries whose msgctxt addresses no text of this instance.
             */
            unknown: number;
        };
        TranslationImportReportOutputBody: {
            data: components["schemas"]["TranslationImportReport"];
            /** @description Paging of the report. */
            metadata: components["schemas"]["ListMetadata"];
        };
        UIMessages: {
            /** @enum {string} */
            direction: "ltr" | "rtl";
            /** @example ar */
            locale: string;
            /** @description Lingui message id to text: the tenant's own wording, else the app's translation, else the default language's, else English. */
            messages: {
                [key: string]: string;
            };
        };
        UnflagData: {
            /** @description Why the flag is resolved. */
            unflag_message: string;
        };
        UpdateAgencyInputBody: {
            disabled?: boolean;
            name?: {
                [key: string]: string;
            };
        };
        UpdateCurrentUserInputBody: {
            /** @description Your name as colleagues see it. */
            full_name?: string;
            /** @description Your language: one of the instance's languages (GET /api/v2/system_settings). */
            locale?: string;
            /**
             * @description Your IANA time zone (Africa/Nairobi); empty for the instance's default. Your daily digest goes out on your local morning.
             * @example Africa/Nairobi
             */
            time_zone?: string;
        };
        UpdateLocationInputBody: {
            /** Format: int64 */
            admin_level?: number;
            /** @description Disable (true) rather than delete a location records use: it is no longer offered for new records. */
            disabled?: boolean;
            /** @description Replaces the whole name (every language). */
            name?: {
                [key: string]: string;
            };
            /** @description Moves the location and everything below it; "" makes it a root. */
            parent_code?: string;
            type?: string;
        };
        UpdateNotificationSettingsInputBody: {
            /** @description Kinds to turn on (email true) or off (false); kinds not named are left as they are. */
            data: components["schemas"]["Setting"][] | null;
        };
        UpdateSystemSettingsInputBody: {
            /**
             * Format: int64
             * @description The largest audio file accepted, in bytes: from 1 to attachment_max_bytes_allowed.
             * @example 26214400
             */
            attachment_max_audio_bytes?: number;
            /**
             * Format: int64
             * @description The largest document file accepted, in bytes: from 1 to attachment_max_bytes_allowed.
             * @example 20971520
             */
            attachment_max_document_bytes?: number;
            /**
             * Format: int64
             * @description The largest photo file accepted, in bytes: from 1 to attachment_max_bytes_allowed.
             * @example 10485760
             */
            attachment_max_photo_bytes?: number;
            /**
             * Format: int64
             * @description How many attachments one record may hold: from 1 to 10000.
             * @example 50
             */
            attachments_per_record?: number;
            /**
             * @description Origins of other web applications allowed to call this API from a browser with a token or API key (never with cookies), e.g. https://registration.example.org.
             * @example [
             *       "https://registration.example.org"
             *     ]
             */
            cors_origins?: string[] | null;
            /**
             * @description What opens an offline copy: pin (the PIN alone; opens offline after a restart) or pin_and_server (the PIN and the device key the server releases to the signed-in browser).
             * @enum {string}
             */
            offline_unlock?: "pin" | "pin_and_server";
            /**
             * @description The default IANA time zone of the instance's users (those without one of their own).
             * @example Africa/Nairobi
             */
            time_zone?: string;
        };
        UpdateUserGroupInputBody: {
            description?: string;
            disabled?: boolean;
            name?: string;
        };
        UpdateUserInputBody: {
            agency_unique_id?: string;
            /** @description Disable (true) or re-enable (false) the person's access to this country instance, from their next request. Other instances they belong to are not affected. */
            disabled?: boolean;
            full_name?: string;
            locale?: string;
            role_unique_id?: string;
            /**
             * @description The person's IANA time zone (Africa/Nairobi); empty for the instance's default.
             * @example Africa/Nairobi
             */
            time_zone?: string;
            /** @description Replaces the user's groups. */
            user_group_unique_ids?: string[];
        };
        User: {
            agency_unique_id: string;
            /** Format: date-time */
            created_at: string;
            disabled: boolean;
            email: string;
            full_name: string;
            id: string;
            identity_id: string;
            locale: string;
            role_unique_id: string;
            /** @description The person's IANA time zone (Africa/Nairobi); empty: the instance's default (system_settings.time_zone). Their daily digest goes out on their local morning and their tasks are overdue from their local day. */
            time_zone: string;
            /** Format: date-time */
            updated_at: string;
            user_group_unique_ids: string[] | null;
        };
        UserGroup: {
            /** Format: date-time */
            created_at: string;
            description: string;
            disabled: boolean;
            id: string;
            name: string;
            unique_id: string;
            /** Format: date-time */
            updated_at: string;
        };
        UserGroupBody: {
            description?: string;
            name: string;
            /** @example usergroup-nairobi */
            unique_id: string;
        };
        UserListOutputBody: {
            data: components["schemas"]["User"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        UserOutputBody: {
            data: components["schemas"]["User"];
        };
        ValidateInputBody: {
            /** @description A record's data, as the caller would write it on a new record. */
            data: {
                [key: string]: unknown;
            };
            /** @example primeromodule-cp */
            module_id: string;
            /** @enum {string} */
            record_type: "case" | "tracing_request" | "incident";
        };
        Validation: {
            /** @description The calculated fields' values. */
            calculated: {
                [key: string]: unknown;
            };
            /** Format: int64 */
            configuration_version: number;
            errors: components["schemas"]["ProblemDetail"][] | null;
            valid: boolean;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "list-agencies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputAgencyBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-agency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgencyBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputAgencyBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-agency": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAgencyInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputAgencyBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-alerts": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Alerts per page. */
                per?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListAlertsOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "mark-alerts-read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MarkAlertsReadInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MarkAlertsReadOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-approvals": {
        parameters: {
            query?: {
                /** @description pending: awaiting an answer (requested); or the answer given. */
                status?: "pending" | "approved" | "rejected";
                /** @description Only this approval type. */
                approval_type?: "assessment" | "case_plan" | "closure" | "action_plan" | "gbv_closure";
                /** @description Only this case's requests (404 if you cannot see it). */
                record?: string;
                /** @description Only the requests you may answer: pending, of a type your role approves, not requested by you, on a case whose owner shares one of your user groups. */
                to_answer?: boolean;
                /** @description Page number, from 1. */
                page?: number;
                /** @description Requests per page. */
                per?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListApprovalsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-audit-logs": {
        parameters: {
            query?: {
                /** @description Exactly this actor, e.g. user:<id>. */
                actor?: string;
                /** @description Exactly this action, e.g. users:read. */
                action?: string;
                /** @description e.g. user, case. */
                record_type?: string;
                /** @description A record's UUID. */
                record_id?: string;
                /** @description allowed, denied or failed. */
                outcome?: "allowed" | "denied" | "failed" | "";
                /** @description Occurred at or after (RFC 3339). */
                from?: string;
                /** @description Occurred before (RFC 3339). */
                to?: string;
                page?: number;
                per?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditLogListOutputBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-cases": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Records per page. */
                per?: number;
                /** @description Order by one of: created_at, updated_at (the default), short_id, status, workflow, sex, age, date_of_birth, registration_date, risk_level, or a field configured filterable. A phonetic search without order_by is ranked best first. */
                order_by?: string;
                /** @description asc or desc (the default). */
                order?: "asc" | "desc";
                /** @description Only records changed at or after this time (RFC 3339). */
                updated_since?: string;
                /** @description true (the default): enabled records; false: disabled ones. */
                record_state?: "true" | "false";
                /** @description Continue after the page that returned this cursor (ordered by updated_at ascending). */
                cursor?: string;
                /** @description Search: names (each word part of a name), short ids and ID fields; see id_search, phone_number and phonetic. */
                query?: string;
                /** @description query is an identifier: exact match on short ids and ID fields (letters and digits, case and separators ignored). */
                id_search?: boolean;
                /** @description query is a phone number: exact match on phone fields (digits only). */
                phone_number?: boolean;
                /** @description query is a name: each word finds its spellings in Latin and Arabic script (Mohamed, Muhammad, محمد), ranked best first. */
                phonetic?: boolean;
                /** @description Comma-separated configured fields the records carry (core attributes always); all readable fields if absent. */
                fields?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordListOutputBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-case": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-cases-assigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkAssignInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "find-case-duplicates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DuplicatesOutputBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-case": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "replace-case": {
        parameters: {
            query?: never;
            header?: {
                /** @description The version the change applies to, as its ETag ("3"). 412 if the record is at another version. */
                "If-Match"?: string;
                /** @description Instead of If-Match: the version the client edited from (offline or long edits). The server merges the client's changes with those made since; 409 listing the conflicts if a field changed on both sides. */
                "X-Base-Version"?: number;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a merge (X-Base-Version) found fields changed on both sides (nothing was applied), or the record is disabled. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ConflictProblem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Required */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "erase-case": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EraseRecordInputBody"];
            };
        };
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-case": {
        parameters: {
            query?: never;
            header?: {
                /** @description The version the change applies to, as its ETag ("3"). 412 if the record is at another version. */
                "If-Match"?: string;
                /** @description Instead of If-Match: the version the client edited from (offline or long edits). The server merges the client's changes with those made since; 409 listing the conflicts if a field changed on both sides. */
                "X-Base-Version"?: number;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a merge (X-Base-Version) found fields changed on both sides (nothing was applied), or the record is disabled. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ConflictProblem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Required */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-case-approvals": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-case-approval": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
                /** @description The approval type (Primero v2's approval_id). */
                approval_id: "assessment" | "case_plan" | "closure" | "action_plan" | "gbv_closure";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-case-assign": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTransitionInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-case-attachments": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttachmentListOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-case-attachment": {
        parameters: {
            query: {
                /** @description The upload field (photo, audio or document) the file is added to, e.g. photos. */
                field_name: string;
                /** @description The file's name, used when it is downloaded. */
                file_name: string;
                /** @description What the file shows. */
                description?: string;
                /** @description When the photo was taken or the document issued (YYYY-MM-DD). */
                date?: string;
            };
            header?: {
                /** @description The file's media type (checked against its content); application/octet-stream: taken from the content. */
                "Content-Type"?: string;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        /** @description The file. */
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttachmentOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Length Required */
            411: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-case-attachment": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
                /** @description The attachment's id. */
                attachment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "delete-case-attachment": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
                /** @description The attachment's id. */
                attachment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "close-case": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusChangeInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "disable-case": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional: the version the change applies to (412 if the record is at another). */
                "If-Match"?: string;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "enable-case": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional: the version the change applies to (412 if the record is at another). */
                "If-Match"?: string;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-case-erasure": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id, or its 7-character short id as shown on its page (case does not matter; i and l read as 1, o as 0). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FindErasableOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-case-flags": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Flags per page. */
                per?: number;
                /** @description true: unresolved flags only; false: resolved only; absent: all. */
                active?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListFlagsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-case-flag": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateFlagInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlagOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-case-flag": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
                /** @description The flag's id. */
                flag_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveFlagInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlagOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-case-incident": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "add-case-note": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddNoteInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NoteOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-case-potential-matches": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputPotentialMatchBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-case-history": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Items per page. */
                per?: number;
            };
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-case-referral": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTransitionInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-case-referral": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
                /** @description The transition's id. */
                transition_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RespondTransitionInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "reopen-case": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusChangeInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-case-transfer-request": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTransitionInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-case-transfer-request": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
                /** @description The transition's id. */
                transition_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RespondTransitionInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-case-transfer": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTransitionInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-case-transfer": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The case's id. */
                id: string;
                /** @description The transition's id. */
                transition_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RespondTransitionInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-case-transitions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransitionsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "export-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "import-configuration": {
        parameters: {
            query?: {
                /** @description Check the bundle and list the changes without applying them. */
                dry_run?: boolean;
            };
            header?: {
                /** @description Apply only if the configuration is still at this version (an export's ETag); else 412. */
                "If-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputImportResultBody"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-dashboards": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DashboardsOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceListOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "register-device": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterDeviceInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceKeyOutputBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "revoke-device": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The device's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-device-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The device's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReleasedKeyOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Gone */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-flags": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Flags per page. */
                per?: number;
                /** @description Only flags of this record type; absent: every type the caller may read. */
                record_type?: "case" | "tracing_request" | "incident";
                /** @description true: unresolved flags only; false: resolved only; absent: all. */
                active?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListFlagsOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-forms": {
        parameters: {
            query?: {
                /** @description Only the forms of this record type. */
                record_type?: "case" | "tracing_request" | "incident";
                /** @description Only the forms shown in this module. */
                module_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputFormBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-form": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Form"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputFormBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "validate-record-data": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ValidateInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputValidationBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-form": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The form's unique_id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputFormBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "delete-form": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The form's unique_id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-form": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The form's unique_id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FormPatch"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputFormBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-incidents": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Records per page. */
                per?: number;
                /** @description Order by one of: created_at, updated_at (the default), short_id, status, workflow, sex, age, date_of_birth, registration_date, risk_level, or a field configured filterable. A phonetic search without order_by is ranked best first. */
                order_by?: string;
                /** @description asc or desc (the default). */
                order?: "asc" | "desc";
                /** @description Only records changed at or after this time (RFC 3339). */
                updated_since?: string;
                /** @description true (the default): enabled records; false: disabled ones. */
                record_state?: "true" | "false";
                /** @description Continue after the page that returned this cursor (ordered by updated_at ascending). */
                cursor?: string;
                /** @description Search: names (each word part of a name), short ids and ID fields; see id_search, phone_number and phonetic. */
                query?: string;
                /** @description query is an identifier: exact match on short ids and ID fields (letters and digits, case and separators ignored). */
                id_search?: boolean;
                /** @description query is a phone number: exact match on phone fields (digits only). */
                phone_number?: boolean;
                /** @description query is a name: each word finds its spellings in Latin and Arabic script (Mohamed, Muhammad, محمد), ranked best first. */
                phonetic?: boolean;
                /** @description Comma-separated configured fields the records carry (core attributes always); all readable fields if absent. */
                fields?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordListOutputBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-incident": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-incident": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "replace-incident": {
        parameters: {
            query?: never;
            header?: {
                /** @description The version the change applies to, as its ETag ("3"). 412 if the record is at another version. */
                "If-Match"?: string;
                /** @description Instead of If-Match: the version the client edited from (offline or long edits). The server merges the client's changes with those made since; 409 listing the conflicts if a field changed on both sides. */
                "X-Base-Version"?: number;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a merge (X-Base-Version) found fields changed on both sides (nothing was applied), or the record is disabled. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ConflictProblem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Required */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "erase-incident": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EraseRecordInputBody"];
            };
        };
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-incident": {
        parameters: {
            query?: never;
            header?: {
                /** @description The version the change applies to, as its ETag ("3"). 412 if the record is at another version. */
                "If-Match"?: string;
                /** @description Instead of If-Match: the version the client edited from (offline or long edits). The server merges the client's changes with those made since; 409 listing the conflicts if a field changed on both sides. */
                "X-Base-Version"?: number;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a merge (X-Base-Version) found fields changed on both sides (nothing was applied), or the record is disabled. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ConflictProblem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Required */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-incident-attachments": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttachmentListOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-incident-attachment": {
        parameters: {
            query: {
                /** @description The upload field (photo, audio or document) the file is added to, e.g. photos. */
                field_name: string;
                /** @description The file's name, used when it is downloaded. */
                file_name: string;
                /** @description What the file shows. */
                description?: string;
                /** @description When the photo was taken or the document issued (YYYY-MM-DD). */
                date?: string;
            };
            header?: {
                /** @description The file's media type (checked against its content); application/octet-stream: taken from the content. */
                "Content-Type"?: string;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        /** @description The file. */
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttachmentOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Length Required */
            411: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-incident-attachment": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
                /** @description The attachment's id. */
                attachment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "delete-incident-attachment": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
                /** @description The attachment's id. */
                attachment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "disable-incident": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional: the version the change applies to (412 if the record is at another). */
                "If-Match"?: string;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "enable-incident": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional: the version the change applies to (412 if the record is at another). */
                "If-Match"?: string;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-incident-erasure": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id, or its 7-character short id as shown on its page (case does not matter; i and l read as 1, o as 0). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FindErasableOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-incident-flags": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Flags per page. */
                per?: number;
                /** @description true: unresolved flags only; false: resolved only; absent: all. */
                active?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListFlagsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-incident-flag": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateFlagInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlagOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-incident-flag": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
                /** @description The flag's id. */
                flag_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveFlagInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlagOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-incident-history": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Items per page. */
                per?: number;
            };
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-locations": {
        parameters: {
            query?: {
                /** @description Only this admin level, 0 (the country) to 5. */
                admin_level?: number;
                /** @description Only the direct children of this location code. */
                parent?: string;
                /** @description Only this location and everything below it. */
                subtree?: string;
                /** @description Only locations whose name, in any language, contains this (case-insensitive), or whose code starts with it. */
                query?: string;
                /** @description true: only disabled locations; false: only enabled ones (what a picker offers). */
                disabled?: boolean;
                page?: number;
                per?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputLocationBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-location": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateLocationInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputLocationBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "import-locations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description The CSV file.
                     */
                    file: string;
                };
                "text/csv": string;
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportOutputBody"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-location-import": {
        parameters: {
            query?: {
                /** @description Only the report rows with this outcome. */
                outcome?: "applied" | "invalid" | "";
                page?: number;
                per?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReportOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-location": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The location's code. */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputLocationBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "delete-location": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The location's code. */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-location": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateLocationInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputLocationBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-lookups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputLookupBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Lookup"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputLookupBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-lookup": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The lookup's unique_id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputLookupBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "delete-lookup": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The lookup's unique_id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-lookup": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The lookup's unique_id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LookupPatch"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputLookupBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-matching-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputStoredConfigurationBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-matching-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MatchingConfigurationInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputStoredConfigurationBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-matching-parameters": {
        parameters: {
            query?: {
                page?: number;
                per?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputParametersVersionBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-matching-runs": {
        parameters: {
            query?: {
                /** @description Only runs with this status. */
                status?: "queued" | "running" | "succeeded" | "failed";
                /** @description Only runs started for this reason: requested (create-matching-run), periodic (the periodic job), configuration (a configuration change). */
                reason?: "requested" | "periodic" | "configuration";
                page?: number;
                per?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputRunBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-matching-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputRunBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-matching-run": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The run's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputRunBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-modules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputModuleConfigBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-module": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The module's unique_id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputModuleConfigBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-module": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The module's unique_id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ModulePatch"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputModuleConfigBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-notifications": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Deliveries per page. */
                per?: number;
                /** @description Only deliveries in this state. */
                status?: "queued" | "sending" | "sent" | "failed" | "skipped";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListNotificationsOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-potential-matches": {
        parameters: {
            query?: {
                /** @description Only this label. */
                label?: "likely" | "possible" | "unlikely";
                /** @description Only this status. */
                status?: "pending" | "confirmed" | "rejected" | "closed";
                /** @description Only cases whose current location is this location code or lies under it. */
                location?: string;
                /** @description Only cases owned by staff of this agency (its unique_id). */
                agency?: string;
                page?: number;
                per?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputPotentialMatchBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "review-potential-match": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The potential match's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReviewPotentialMatchInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputPotentialMatchBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleListOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputRoleBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-referable-roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReferableRolesOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-role": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputRoleBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-service-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceAccountListOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-service-account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateServiceAccountInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceAccountOutputBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The service account's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyListOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "issue-api-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The service account's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IssueAPIKeyInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssueAPIKeyOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "revoke-api-key": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The service account's id. */
                id: string;
                /** @description The key's id. */
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-sharing-protocol": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProtocolOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "replace-sharing-protocol": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProtocolInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProtocolOutputBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-system-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SystemSettingsOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-system-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSystemSettingsInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CorsOutputBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "add-locale": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddLocaleInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SystemSettingsOutputBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "remove-locale": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One of this instance's languages, not its default. */
                locale: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SystemSettingsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-phone-calling-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneCallingCodeOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "set-phone-calling-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetPhoneCallingCodeInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhoneCallingCodeOutputBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-tasks": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Tasks per page. */
                per?: number;
                /** @description Only overdue tasks (due before today) or upcoming ones (due today or later). */
                due?: "overdue" | "upcoming";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListTasksOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-tracing-requests": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Records per page. */
                per?: number;
                /** @description Order by one of: created_at, updated_at (the default), short_id, status, workflow, sex, age, date_of_birth, registration_date, risk_level, or a field configured filterable. A phonetic search without order_by is ranked best first. */
                order_by?: string;
                /** @description asc or desc (the default). */
                order?: "asc" | "desc";
                /** @description Only records changed at or after this time (RFC 3339). */
                updated_since?: string;
                /** @description true (the default): enabled records; false: disabled ones. */
                record_state?: "true" | "false";
                /** @description Continue after the page that returned this cursor (ordered by updated_at ascending). */
                cursor?: string;
                /** @description Search: names (each word part of a name), short ids and ID fields; see id_search, phone_number and phonetic. */
                query?: string;
                /** @description query is an identifier: exact match on short ids and ID fields (letters and digits, case and separators ignored). */
                id_search?: boolean;
                /** @description query is a phone number: exact match on phone fields (digits only). */
                phone_number?: boolean;
                /** @description query is a name: each word finds its spellings in Latin and Arabic script (Mohamed, Muhammad, محمد), ranked best first. */
                phonetic?: boolean;
                /** @description Comma-separated configured fields the records carry (core attributes always); all readable fields if absent. */
                fields?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordListOutputBody"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-tracing-request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-tracing-request": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "replace-tracing-request": {
        parameters: {
            query?: never;
            header?: {
                /** @description The version the change applies to, as its ETag ("3"). 412 if the record is at another version. */
                "If-Match"?: string;
                /** @description Instead of If-Match: the version the client edited from (offline or long edits). The server merges the client's changes with those made since; 409 listing the conflicts if a field changed on both sides. */
                "X-Base-Version"?: number;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a merge (X-Base-Version) found fields changed on both sides (nothing was applied), or the record is disabled. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ConflictProblem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Required */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "erase-tracing-request": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EraseRecordInputBody"];
            };
        };
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-tracing-request": {
        parameters: {
            query?: never;
            header?: {
                /** @description The version the change applies to, as its ETag ("3"). 412 if the record is at another version. */
                "If-Match"?: string;
                /** @description Instead of If-Match: the version the client edited from (offline or long edits). The server merges the client's changes with those made since; 409 listing the conflicts if a field changed on both sides. */
                "X-Base-Version"?: number;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordWriteBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a merge (X-Base-Version) found fields changed on both sides (nothing was applied), or the record is disabled. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ConflictProblem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Required */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-tracing-request-attachments": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttachmentListOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-tracing-request-attachment": {
        parameters: {
            query: {
                /** @description The upload field (photo, audio or document) the file is added to, e.g. photos. */
                field_name: string;
                /** @description The file's name, used when it is downloaded. */
                file_name: string;
                /** @description What the file shows. */
                description?: string;
                /** @description When the photo was taken or the document issued (YYYY-MM-DD). */
                date?: string;
            };
            header?: {
                /** @description The file's media type (checked against its content); application/octet-stream: taken from the content. */
                "Content-Type"?: string;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        /** @description The file. */
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttachmentOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Length Required */
            411: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-tracing-request-attachment": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
                /** @description The attachment's id. */
                attachment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "delete-tracing-request-attachment": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
                /** @description The attachment's id. */
                attachment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "disable-tracing-request": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional: the version the change applies to (412 if the record is at another). */
                "If-Match"?: string;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "enable-tracing-request": {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional: the version the change applies to (412 if the record is at another). */
                "If-Match"?: string;
            };
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-tracing-request-erasure": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id, or its 7-character short id as shown on its page (case does not matter; i and l read as 1, o as 0). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FindErasableOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-tracing-request-flags": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Flags per page. */
                per?: number;
                /** @description true: unresolved flags only; false: resolved only; absent: all. */
                active?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListFlagsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-tracing-request-flag": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateFlagInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlagOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-tracing-request-flag": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
                /** @description The flag's id. */
                flag_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveFlagInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlagOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-tracing-request-history": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Items per page. */
                per?: number;
            };
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-traces": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TraceListOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-trace": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The tracing request's id. */
                id: string;
                /** @description The trace's id (its row's unique_id). */
                trace_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TraceOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-trace-potential-matches": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The tracing request's id. */
                id: string;
                /** @description The trace's id (its row's unique_id). */
                trace_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputPotentialMatchBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-transitions": {
        parameters: {
            query?: {
                /** @description pending: awaiting an answer (in progress); or the answer given. */
                status?: "pending" | "accepted" | "rejected" | "done" | "revoked";
                /** @description in: addressed to you (or, with cases:assign, to the users you manage; a referral to your agency while you are one of its managers); out: sent by you (or, with cases:assign, by the users you manage). */
                direction?: "in" | "out";
                /** @description Only this type; absent: the three. */
                type?: "referral" | "transfer" | "transfer_request";
                /** @description Page number, from 1. */
                page?: number;
                /** @description Transitions per page. */
                per?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListTransitionsOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "import-translations": {
        parameters: {
            query?: {
                /** @description The file's language, one of this instance's but not its default; without it, the file's Language header says it. */
                locale?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description The PO file.
                     */
                    file: string;
                    /** @description The file's language (else its Language header). */
                    locale?: string;
                };
                "text/x-gettext-translation": string;
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranslationImportOutputBody"];
                };
            };
            /** @description Request Entity Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-translation-import": {
        parameters: {
            query?: {
                /** @description Only the report entries with this outcome. */
                outcome?: "applied" | "unchanged" | "skipped" | "unknown" | "stale" | "invalid" | "";
                page?: number;
                per?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranslationImportReportOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-ui-translations": {
        parameters: {
            query?: {
                /** @description Only the messages whose text differs from the app's own catalogue in this language (the instance's imported wording): what the web app overrides at start. */
                changed?: boolean;
            };
            header?: never;
            path: {
                locale: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputUIMessagesBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "export-translations": {
        parameters: {
            query?: {
                /** @description Only the entries without a translation in this language (for a translator). */
                missing?: boolean;
            };
            header?: never;
            path: {
                /** @description A language of this instance, optionally with .po: fr or fr.po. */
                locale: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "Content-Disposition"?: string;
                    "Content-Type"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/x-gettext-translation": string;
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-user-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListOutputUserGroupBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "create-user-group": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserGroupBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputUserGroupBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-user-group": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserGroupInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataOutputUserGroupBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-users": {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Items per page. */
                per?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserListOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "invite-user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InviteUserInputBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserOutputBody"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-assign-receivers": {
        parameters: {
            query?: {
                /** @description Only the users of this agency (unique_id). */
                agency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceiversOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-current-user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentUserOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-current-user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateCurrentUserInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-notification-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationSettingsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-notification-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateNotificationSettingsInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationSettingsOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-referral-receivers": {
        parameters: {
            query?: {
                /** @description Only the users of this agency (unique_id). */
                agency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceiversOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-transfer-receivers": {
        parameters: {
            query?: {
                /** @description Only the users of this agency (unique_id). */
                agency?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceiversOutputBody"];
                };
            };
            /** @description Error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "get-user": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "update-user": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserInputBody"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserOutputBody"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "list-user-devices": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceListOutputBody"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    "revoke-user-device": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id. */
                id: string;
                /** @description The device's id. */
                device_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
