// The layout of every signed-in page: checks the session, then shows the shell.
import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";
import { useAccountLocale } from "./account";
import { useSystemSettings } from "./queries";
import { setTimeZone } from "./timeZone";
import { AuthLayout } from "./AuthLayout";
import { SessionProvider, useSession } from "./session";
import { ExpiredMessage, IdleMessage } from "./ExpiredMessage";
import { Shell, useSignOut } from "./Shell";
import { useOnline } from "../offline/OfflinePanel";
import { locked, needsServer, offlineActive, onOfflineChange, unlockAfterSignIn, unlockNext } from "../offline/runtime";
import { SignInToUnlock, UnlockForm } from "../offline/Unlock";

function Gate() {
  const { session } = useSession();
  const settings = useSystemSettings();
  const navigate = useNavigate();
  const href = useRouterState({ select: (s) => s.location.href });
  const signOut = useSignOut();
  const qc = useQueryClient();
  const online = useOnline();
  const [isLocked, setLocked] = useState(locked);
  const [wiped, setWiped] = useState(false);
  const [next, setNext] = useState(unlockNext);
  useEffect(() => onOfflineChange(() => setLocked(locked())), []);
  // A copy that opens only with the server's key, locked, and no live session online: the unlock page says a sign-in is
  // needed instead of the silent move to the sign-in page (docs/frontend.md, "Offline, session 20").
  const signInToUnlock = session.state === "signed-out" && isLocked && online && needsServer();

  useEffect(() => {
    // (Once: the router may still show this layout while it moves to the sign-in page.)
    if (session.state === "signed-out" && !href.startsWith("/auth/") && !signInToUnlock) {
      void navigate({ to: "/auth/login", search: { return_to: href }, replace: true });
    }
  }, [session.state, href, navigate, signInToUnlock]);

  // After sign-in, the account's language applies on any device; it becomes this browser's
  // choice too, so the sign-in pages show it next time.
  const accountLocale = session.state === "ok" ? session.me.locale : undefined;
  useAccountLocale(accountLocale, settings.data?.locales);
  // Files kept on the device (records/keptFiles.ts) go when the network is back and the copy is open.
  useEffect(() => {
    const run = () => {
      if (navigator.onLine && offlineActive() && !locked()) void import("../records/sendKept").then((m) => m.sendKeptFiles());
    };
    run();
    window.addEventListener("online", run);
    const off = onOfflineChange(run);
    return () => {
      window.removeEventListener("online", run);
      off();
    };
  }, []);
  // Times are shown in the person's zone, else the instance's default.
  const ownZone = session.state === "ok" ? session.me.time_zone : undefined;
  useEffect(() => setTimeZone(ownZone, settings.data?.time_zone), [ownZone, settings.data?.time_zone]);

  // Offline after a start of the app, with cases kept on this device: the PIN first (the session is read from the device's copy).
  if (session.state !== "ok" && (isLocked || wiped) && !online) {
    return (
      <AuthLayout title={<Trans>Open the cases kept on this device</Trans>}>
        {wiped ? (
          <p role="alert" className="notice notice-error">
            <Trans>The cases kept on this device were removed: too many wrong PINs, or no sync for too long. Sync again when you are online.</Trans>
          </p>
        ) : (
          <UnlockForm onUnlocked={() => void qc.invalidateQueries()} onWiped={() => setWiped(true)} />
        )}
      </AuthLayout>
    );
  }

  if (signInToUnlock) {
    return (
      <AuthLayout title={<Trans>Open the cases kept on this device</Trans>}>
        <SignInToUnlock returnTo={href} />
      </AuthLayout>
    );
  }
  // Back from a sign-in made to open the device's copy: the PIN first, then the page asked for.
  if (session.state === "ok" && isLocked && next) {
    return (
      <AuthLayout title={<Trans>Open the cases kept on this device</Trans>}>
        <UnlockForm
          onUnlocked={() => {
            setNext(false);
            void qc.invalidateQueries();
          }}
          onWiped={() => setNext(false)}
        />
        <p>
          <button
            type="button"
            className="link-button"
            data-testid="offline-unlock-later"
            onClick={() => {
              unlockAfterSignIn(false);
              setNext(false);
            }}
          >
            <Trans>Not now: continue online</Trans>
          </button>
        </p>
      </AuthLayout>
    );
  }

  switch (session.state) {
    case "loading":
    case "signed-out":
      return (
        <p className="loading" role="status">
          <Trans>Loading…</Trans>
        </p>
      );
    case "ended":
      return (
        <AuthLayout title={<Trans>Your session has ended</Trans>}>
          <p data-testid="session-ended" data-reason={session.reason}>
            {session.reason === "expired" ? (
              <ExpiredMessage lifespan={session.lifespan} />
            ) : session.reason === "idle" ? (
              <IdleMessage idleLimit={session.idleLimit} />
            ) : (
              <Trans>Your session was ended: you signed out in another window, or an administrator ended it. Sign in again to continue.</Trans>
            )}
          </p>
          {session.reason === "ended" && session.detail && (
            <p className="muted" dir="auto">
              {session.detail}
            </p>
          )}
          <p>
            <a className="button" href={`/auth/login?return_to=${encodeURIComponent(href)}`} onClick={() => unlockAfterSignIn(isLocked)}>
              <Trans>Sign in again</Trans>
            </a>
          </p>
        </AuthLayout>
      );
    case "refused":
      return (
        <AuthLayout title={<Trans>You cannot use this country instance yet</Trans>}>
          <p data-testid="access-refused">
            <Trans>
              Either your account is not a member of this country instance, or your role requires a second factor. If your role requires
              one, set up an authenticator app in your account settings, then sign in again.
            </Trans>
          </p>
          <p className="muted" dir="auto">
            {session.detail}
          </p>
          <div className="actions">
            <Link className="button" to="/auth/settings">
              <Trans>Set up an authenticator app</Trans>
            </Link>
            <button type="button" className="button button-secondary" onClick={() => void signOut()}>
              <Trans>Sign out</Trans>
            </button>
          </div>
        </AuthLayout>
      );
    case "ok":
      return (
        <Shell>
          <Outlet />
        </Shell>
      );
  }
}

export function AppLayout() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}
