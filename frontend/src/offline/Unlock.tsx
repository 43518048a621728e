// The offline PIN: chosen when the person opts in (PinChoice), asked after
// each start of the app before the device's copy is read (UnlockForm). Wrong
// PINs are counted; the last allowed one wipes the copy (runtime.ts unlock).
// In mode pin_and_server the copy also needs the server's device key, which
// the server releases only to a signed-in browser: the form says so, and
// offers a sign-in that comes back to it (SignInToUnlock, unlockAfterSignIn).
import { useId, useState, type FormEvent } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { plural } from "@lingui/core/macro";
import { SessionLimits } from "../app/ExpiredMessage";
import { MIN_PIN_LENGTH } from "./crypto";
import { needsServer, unlock, unlockAfterSignIn } from "./runtime";

/** The current page, where a sign-in made to open the copy comes back to. */
function here(): string {
  return window.location.pathname + window.location.search;
}

/** SignInButton goes to the sign-in page, marking that the unlock page comes first once signed in. */
function SignInButton({ returnTo }: { returnTo: string }) {
  return (
    <a className="button" data-testid="offline-sign-in" href={`/auth/login?return_to=${encodeURIComponent(returnTo)}`} onClick={() => unlockAfterSignIn(true)}>
      <Trans>Sign in</Trans>
    </a>
  );
}

/**
 * SignInToUnlock is the unlock page of a copy that needs the server (mode pin_and_server) when this browser has no
 * live session (after a restart, the session ended): it says so, and offers a sign-in that comes back to the PIN.
 */
export function SignInToUnlock({ returnTo }: { returnTo: string }) {
  return (
    <div className="offline-unlock" data-testid="offline-sign-in-needed">
      <p className="notice notice-info">
        <Trans>The cases kept on this device open only with this server's confirmation, which it gives only to you, signed in. Your session has ended.</Trans>{" "}
        <SessionLimits />
      </p>
      <p>
        <Trans>Sign in, and you come back here to enter your offline PIN. Changes not sent yet stay on this device.</Trans>
      </p>
      <div className="actions">
        <SignInButton returnTo={returnTo} />
      </div>
    </div>
  );
}

/** UnlockForm asks for the offline PIN; onUnlocked runs once the copy is open. */
export function UnlockForm({ onUnlocked, onWiped }: { onUnlocked: () => void; onWiped?: () => void }) {
  const { t } = useLingui();
  const id = useId();
  const [pin, setPin] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [signIn, setSignIn] = useState(false);
  const [server] = useState(needsServer);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setSignIn(false);
    const r = await unlock(pin).finally(() => setBusy(false));
    setPin("");
    if (r.state === "unlocked") onUnlocked();
    else if (r.state === "wrong")
      setError(
        plural(r.left, {
          one: "Wrong PIN. After # more wrong PIN, the cases kept on this device are removed.",
          other: "Wrong PIN. After # more wrong PINs, the cases kept on this device are removed.",
        }),
      );
    else if (r.state === "need_server" && r.signedOut) {
      setError(t`Your session has ended, so the server cannot confirm this device. Sign in, then enter your PIN again: your changes stay on this device.`);
      setSignIn(true);
    } else if (r.state === "need_server")
      setError(
        t`The server could not be reached. Connect to the internet and try again; if your session has ended you are asked to sign in, then brought back here. Your changes stay on this device.`,
      );
    else if (r.state === "revoked") {
      setError(t`This device was revoked: the cases kept on it, and changes not sent yet, were removed.`);
      onWiped?.();
    } else {
      setError(t`The cases kept on this device were removed: too many wrong PINs, or no sync for too long. Sync again when you are online.`);
      onWiped?.();
    }
  };
  return (
    <form className="offline-unlock" data-testid="offline-unlock" onSubmit={(e) => void submit(e)} noValidate>
      <p>
        <Trans>The cases kept on this device are encrypted. Enter your offline PIN to open them.</Trans>
      </p>
      {server && (
        <p className="field-hint" data-testid="offline-unlock-needs-server">
          <Trans>They open only with this server's confirmation: after the app restarts, you need the internet and to be signed in.</Trans>{" "}
          <SessionLimits />
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-pin`}>
          <Trans>Offline PIN</Trans>
        </label>
        <PinInput id={`${id}-pin`} name="offline_pin" autoComplete="off" value={pin} invalid={!!error} describedBy={error ? `${id}-error` : undefined} onChange={setPin} />
      </div>
      <PinError id={`${id}-error`} message={error} />
      <div className="actions">
        <button type="submit" className="button" disabled={busy || !pin}>
          {busy ? t`Unlocking…` : t`Unlock`}
        </button>
        {signIn && <SignInButton returnTo={here()} />}
      </div>
    </form>
  );
}

/** pinProblem says what is wrong with a PIN chosen (and its repetition), if anything. */
export function pinProblem(pin: string, again: string): "short" | "different" | undefined {
  if (pin.length < MIN_PIN_LENGTH) return "short";
  if (pin !== again) return "different";
  return undefined;
}

/** PinChoice: the two PIN fields of the opt-in; onChoose gets the PIN once both agree. */
export function PinChoice({ disabled, onChoose }: { disabled: boolean; onChoose: (pin: string) => void }) {
  const { t } = useLingui();
  const id = useId();
  const [pin, setPin] = useState("");
  const [again, setAgain] = useState("");
  const [problem, setProblem] = useState<"short" | "different">();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = pinProblem(pin, again);
    setProblem(p);
    if (!p) onChoose(pin);
  };
  const message =
    problem === "short"
      ? t`Choose a PIN of at least ${MIN_PIN_LENGTH} characters.`
      : problem === "different"
        ? t`The two PINs differ. Type the same PIN twice.`
        : undefined;
  return (
    <form className="offline-pin" data-testid="offline-pin-choice" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-pin`}>
          <Trans>Choose an offline PIN</Trans>
        </label>
        <p className="field-hint" id={`${id}-hint`}>
          <Trans>
            At least {MIN_PIN_LENGTH} characters; a longer one is safer. It is asked each time the app starts, before the cases kept on this
            device are shown. It is not your password and cannot be recovered: if you forget it, the copy is removed and you sync again.
          </Trans>
        </p>
        <PinInput
          id={`${id}-pin`}
          name="new_offline_pin"
          autoComplete="new-password"
          value={pin}
          invalid={problem === "short"}
          describedBy={`${id}-hint${problem ? ` ${id}-error` : ""}`}
          onChange={setPin}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-again`}>
          <Trans>The same PIN again</Trans>
        </label>
        <PinInput
          id={`${id}-again`}
          name="new_offline_pin_again"
          autoComplete="new-password"
          value={again}
          invalid={problem === "different"}
          describedBy={problem ? `${id}-error` : undefined}
          onChange={setAgain}
        />
      </div>
      <PinError id={`${id}-error`} message={message} />
      <div className="actions">
        <button type="submit" className="button" data-testid="offline-enable" disabled={disabled}>
          <Trans>Keep my cases on this device</Trans>
        </button>
      </div>
    </form>
  );
}

/** PinInput is a PIN's field: hidden characters, a numeric keyboard on phones. */
function PinInput({
  id,
  name,
  autoComplete,
  value,
  invalid,
  describedBy,
  onChange,
}: {
  id: string;
  name: string;
  autoComplete: string;
  value: string;
  invalid: boolean;
  describedBy?: string;
  onChange: (v: string) => void;
}) {
  return (
    <input
      id={id}
      name={name}
      type="password"
      inputMode="numeric"
      autoComplete={autoComplete}
      value={value}
      aria-invalid={invalid ? true : undefined}
      aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** PinError announces a PIN form's error (the live region stays in the page, hidden, while there is none). */
function PinError({ id, message }: { id: string; message?: string }) {
  return (
    <div role="alert" id={id} className={message ? "notice notice-error" : "visually-hidden"}>
      {message}
    </div>
  );
}
