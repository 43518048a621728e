// The app's routes. Every page is its own chunk (lazyRouteComponent), so the
// first load carries only the shell; later screens (cases, tracing requests,
// incidents, forms) add a route here and an entry in app/nav.ts.
import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from "@tanstack/react-router";
import type { ComponentType } from "react";
import { AppLayout } from "./app/AppLayout";
import { NotFound } from "./pages/NotFound";

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound });

// Kratos' UI URLs (infra/kratos/config/kratos.yml): /auth/login, /auth/recovery,
// /auth/settings, /auth/verification, /auth/error.
const auth = (path: string, load: () => Promise<{ default: ComponentType }>) =>
  createRoute({ getParentRoute: () => rootRoute, path, component: lazyRouteComponent(load) });

const authRoutes = [
  auth("/auth/login", () => import("./pages/auth/Login")),
  auth("/auth/recovery", () => import("./pages/auth/Recovery")),
  auth("/auth/settings", () => import("./pages/auth/Settings")),
  auth("/auth/verification", () => import("./pages/auth/Verification")),
  auth("/auth/error", () => import("./pages/auth/ErrorPage")),
  // Accounts are invited, never self-registered.
  createRoute({ getParentRoute: () => rootRoute, path: "/auth/registration", beforeLoad: () => { throw redirect({ to: "/auth/login" }); } }),
];

const appRoute = createRoute({ getParentRoute: () => rootRoute, id: "app", component: AppLayout });

const page = (path: string, load: () => Promise<Record<string, unknown>>, name = "default") =>
  createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load as never, name as never) });

const admin = () => import("./pages/admin/Users");
const appRoutes = [
  page("/", () => import("./pages/Home")),
  page("/cases", () => import("./pages/cases/CaseList")),
  page("/cases/new", () => import("./pages/cases/CaseRecord"), "RegisterCase"),
  page("/cases/$id", () => import("./pages/cases/CaseRecord"), "CaseRecord"),
  page("/tracing-requests", () => import("./pages/cases/CaseList"), "TracingRequestList"),
  page("/tracing-requests/new", () => import("./pages/cases/CaseRecord"), "RegisterTracingRequest"),
  page("/tracing-requests/$id", () => import("./pages/cases/CaseRecord"), "TracingRequestRecord"),
  page("/incidents", () => import("./pages/cases/CaseList"), "IncidentList"),
  page("/incidents/new", () => import("./pages/cases/CaseRecord"), "RegisterIncident"),
  page("/incidents/$id", () => import("./pages/cases/CaseRecord"), "IncidentRecord"),
  page("/matching", () => import("./pages/matching/Matching")),
  page("/approvals", () => import("./pages/cases/Casework"), "ApprovalQueue"),
  page("/flags", () => import("./pages/flags/Flags")),
  page("/transitions", () => import("./pages/transitions/Transitions")),
  page("/admin/users", admin, "UserList"),
  page("/admin/users/new", admin, "InviteUser"),
  page("/admin/users/$id", admin, "EditUser"),
  page("/admin/roles", () => import("./pages/admin/Roles"), "RoleList"),
  page("/admin/roles/new", () => import("./pages/admin/Roles"), "NewRole"),
  page("/admin/roles/$id", () => import("./pages/admin/Roles"), "EditRole"),
  page("/admin/agencies", () => import("./pages/admin/Agencies")),
  page("/admin/user-groups", () => import("./pages/admin/UserGroups")),
  page("/admin/service-accounts", () => import("./pages/admin/ServiceAccounts"), "ServiceAccountList"),
  page("/admin/service-accounts/$id", () => import("./pages/admin/ServiceAccounts"), "ServiceAccountKeys"),
  page("/admin/settings", () => import("./pages/admin/SystemSettings")),
  page("/admin/audit", () => import("./pages/admin/AuditLog")),
  page("/admin/erase", () => import("./pages/admin/EraseRecord")),
  page("/admin/locations", () => import("./pages/admin/Locations")),
  page("/admin/locations/import", () => import("./pages/admin/LocationImport"), "ImportLocations"),
  page("/admin/locations/imports/$id", () => import("./pages/admin/LocationImport"), "LocationImportReport"),
  page("/admin/forms", () => import("./pages/admin/Forms"), "FormList"),
  page("/admin/forms/new", () => import("./pages/admin/Forms"), "NewForm"),
  page("/admin/forms/$id", () => import("./pages/admin/Forms"), "EditForm"),
  page("/admin/lookups", () => import("./pages/admin/Lookups"), "LookupList"),
  page("/admin/lookups/$id", () => import("./pages/admin/Lookups"), "EditLookup"),
  page("/admin/configuration", () => import("./pages/admin/Configuration")),
  page("/admin/matching", () => import("./pages/admin/MatchingRuns")),
  page("/admin/sharing-protocol", () => import("./pages/admin/SharingProtocol")),
  page("/admin/translations", () => import("./pages/admin/Translations")),
  page("/admin/translations/imports/$id", () => import("./pages/admin/Translations"), "TranslationImportReport"),
  page("$", () => import("./pages/NotFound"), "NotFound"),
];

const routeTree = rootRoute.addChildren([...authRoutes, appRoute.addChildren(appRoutes)]);

export const router = createRouter({ routeTree, defaultPreload: "intent", scrollRestoration: true });
