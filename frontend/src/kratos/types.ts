// The parts of Ory Kratos' self-service flows (v1.3, JSON API) the app reads.
// Kratos is not our API, so these types are written from its documented
// responses (UI nodes, messages, errors), not generated from our spec.

export interface UiText {
  id: number;
  text: string;
  type: "info" | "error" | "success" | string;
  context?: Record<string, unknown>;
}

export interface UiNodeAttributes {
  node_type: "input" | "img" | "text" | "a" | "script" | "div" | string;
  name?: string;
  type?: string; // input type: text, email, password, hidden, submit, button, checkbox
  value?: unknown;
  required?: boolean;
  disabled?: boolean;
  autocomplete?: string;
  pattern?: string;
  label?: UiText;
  // img
  src?: string;
  width?: number;
  height?: number;
  // text
  id?: string;
  text?: UiText;
  // a
  href?: string;
  title?: UiText;
}

export interface UiNode {
  type: "input" | "img" | "text" | "a" | "script" | "div" | string;
  group: string; // default, password, totp, lookup_secret, code, profile, ...
  attributes: UiNodeAttributes;
  messages: UiText[];
  meta: { label?: UiText };
}

export interface UiContainer {
  action: string;
  method: string;
  nodes: UiNode[];
  messages?: UiText[];
}

export type FlowKind = "login" | "recovery" | "settings" | "verification" | "registration";

export interface Flow {
  id: string;
  type: "browser" | "api";
  state?: string; // recovery/verification: choose_method, sent_email, passed_challenge; settings: show_form, success
  requested_aal?: "aal1" | "aal2";
  refresh?: boolean;
  return_to?: string;
  expires_at?: string;
  ui: UiContainer;
  continue_with?: { action: string; redirect_browser_to?: string; flow?: { id: string; url?: string } }[];
}

export interface Session {
  id: string;
  active: boolean;
  expires_at?: string;
  issued_at?: string;
  authenticated_at?: string;
  authenticator_assurance_level?: "aal0" | "aal1" | "aal2" | "aal3";
  identity?: { id: string; traits?: { email?: string; name?: { first?: string; last?: string }; preferred_locale?: string } };
}

/** Kratos' error body ({"error": {...}}) for 4xx/5xx answers that are not flows. */
export interface KratosError {
  error?: { id?: string; code?: number; status?: string; reason?: string; message?: string; details?: Record<string, unknown> };
  redirect_browser_to?: string;
  use_flow_id?: string;
}
