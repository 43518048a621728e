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
        /** Change the country instance's settings: the origins allowed to call the API from other web applications */
        patch: operations["update-system-settings"];
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
        ApiKeyListOutputBody: {
            data: components["schemas"]["APIKey"][] | null;
            metadata: components["schemas"]["ListMetadata"];
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
        CorsOutputBody: {
            data: components["schemas"]["DataStruct"];
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
        CurrentUser: {
            agency_unique_id: string;
            /** Format: date-time */
            created_at: string;
            disabled: boolean;
            email: string;
            full_name: string;
            id: string;
            identity_id: string;
            locale: string;
            /** @description What the user's role allows in this country instance: resource:action pairs of the policy catalogue. */
            permissions: string[] | null;
            role_unique_id: string;
            /** Format: date-time */
            updated_at: string;
            user_group_unique_ids: string[] | null;
        };
        CurrentUserOutputBody: {
            data: components["schemas"]["CurrentUser"];
        };
        DataOutputAgencyBody: {
            data: components["schemas"]["Agency"];
        };
        DataOutputRoleBody: {
            data: components["schemas"]["Role"];
        };
        DataOutputUserGroupBody: {
            data: components["schemas"]["UserGroup"];
        };
        DataStruct: {
            cors_origins: string[] | null;
        };
        ErrorDetail: {
            /** @description Where the error occurred, e.g. 'body.items[3].tags' or 'path.thing-id' */
            location?: string;
            /** @description Error message text */
            message?: string;
            /** @description The value at the given location */
            value?: unknown;
        };
        ErrorModel: {
            /**
             * @description A human-readable explanation specific to this occurrence of the problem.
             * @example Property foo is required but is missing.
             */
            detail?: string;
            /** @description Optional list of individual error details */
            errors?: components["schemas"]["ErrorDetail"][] | null;
            /**
             * Format: uri
             * @description A URI reference that identifies the specific occurrence of the problem.
             * @example https://example.com/error-log/abc123
             */
            instance?: string;
            /**
             * Format: int64
             * @description HTTP status code
             * @example 400
             */
            status?: number;
            /**
             * @description A short, human-readable summary of the problem type. This value should not change between occurrences of the error.
             * @example Bad Request
             */
            title?: string;
            /**
             * Format: uri
             * @description A URI reference to human-readable documentation for the error.
             * @default about:blank
             * @example https://example.com/errors/example
             */
            type: string;
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
        ListOutputAgencyBody: {
            data: components["schemas"]["Agency"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        ListOutputUserGroupBody: {
            data: components["schemas"]["UserGroup"][] | null;
            metadata: components["schemas"]["ListMetadata"];
        };
        Module: {
            associated_record_types: string[] | null;
            name: {
                [key: string]: string;
            };
            unique_id: string;
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
        SystemSettings: {
            default_locale: string;
            locales: string[] | null;
            modules: components["schemas"]["Module"][] | null;
            name: string;
        };
        SystemSettingsOutputBody: {
            data: components["schemas"]["SystemSettings"];
        };
        UpdateAgencyInputBody: {
            disabled?: boolean;
            name?: {
                [key: string]: string;
            };
        };
        UpdateSystemSettingsInputBody: {
            /**
             * @description Origins of other web applications allowed to call this API from a browser with a token or API key (never with cookies), e.g. https://registration.example.org.
             * @example [
             *       "https://registration.example.org"
             *     ]
             */
            cors_origins: string[] | null;
        };
        UpdateUserGroupInputBody: {
            description?: string;
            disabled?: boolean;
            name?: string;
        };
        UpdateUserInputBody: {
            agency_unique_id?: string;
            /** @description Disable (true) or re-enable (false) the account. Disabling ends the person's sessions at once. */
            disabled?: boolean;
            full_name?: string;
            locale?: string;
            role_unique_id?: string;
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
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
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Unprocessable Entity */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
            /** @description Internal Server Error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ErrorModel"];
                };
            };
        };
    };
}
