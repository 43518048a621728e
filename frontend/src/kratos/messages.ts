// Kratos' messages in the user's language: each message and label has a
// stable numeric id (Kratos' text/id.go); we translate the ones our flows
// show, in our own words, and fall back to Kratos' English text for others.
import type { I18n, MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import type { UiText } from "./types";

const byId: Record<number, MessageDescriptor> = {
  // Sign-in
  1010001: msg`Sign in`,
  1010003: msg`Confirm that it is you: sign in again.`,
  1010004: msg`Enter the code from your authenticator app.`,
  1010006: msg`Authenticator app code`,
  1010007: msg`Recovery code`,
  1010009: msg`Verify`,
  1010010: msg`Use the recovery code`,
  1010013: msg`Continue`,
  1010022: msg`Sign in`,
  // Settings
  1050001: msg`Your changes are saved.`,
  1050004: msg`Remove the authenticator app`,
  1050005: msg`QR code for your authenticator app`,
  1050007: msg`Show my recovery codes`,
  1050008: msg`Create new recovery codes`,
  1050010: msg`Your recovery codes. Keep them somewhere safe: each one works once, when you cannot use your authenticator app.`,
  1050011: msg`I have saved these codes`,
  1050014: msg`Used on {used_at}`,
  1050016: msg`Stop using recovery codes`,
  1050017: msg`If you cannot scan the QR code, enter this key in your authenticator app:`,
  // Recovery and invitation
  1060001: msg`Your code is accepted. Choose your password now.`,
  1060002: msg`If this address has an account, we sent it an email.`,
  1060003: msg`If this address has an account, we sent it a code. Enter it below.`,
  // Labels
  1070001: msg`Password`,
  1070003: msg`Save`,
  1070004: msg`Email address`,
  1070005: msg`Submit`,
  1070006: msg`Verify code`,
  1070007: msg`Email address`,
  1070008: msg`Send the code again`,
  1070009: msg`Continue`,
  1070010: msg`Code from the email`,
  1070011: msg`Verification code`,
  // Verification
  1080001: msg`We sent you an email to verify your address.`,
  1080002: msg`Your email address is verified.`,
  1080003: msg`We sent a verification code to your email address. Enter it below.`,
  // Validation
  4000002: msg`This field is required.`,
  4000003: msg`Too short: use at least {min_length} characters.`,
  4000004: msg`This is not in the expected format.`,
  4000005: msg`This password cannot be used. Choose another one.`,
  4000006: msg`The email address or the password is not correct.`,
  4000008: msg`The code is not correct. Enter the code your app shows now.`,
  4000010: msg`This account is not active yet: verify your email address first.`,
  4000011: msg`No authenticator app is set up for this account.`,
  4000012: msg`This recovery code was used already.`,
  4000014: msg`No recovery codes are set up for this account.`,
  4000016: msg`This recovery code is not correct.`,
  4000032: msg`The password is too similar to your email address.`,
  4000033: msg`The password must have at least {min_length} characters.`,
  4000034: msg`The password is too long: at most {max_length} characters.`,
  4010001: msg`The sign-in page expired. Try again.`,
  4010002: msg`This way of signing in is not available.`,
  4050001: msg`The settings page expired. Try again.`,
  4060004: msg`This link is not valid or was used already. Ask for a new code.`,
  4060005: msg`The page expired. Ask for a new code.`,
  4060006: msg`The code is not correct or was used already.`,
  4070005: msg`The page expired. Ask for a new code.`,
  4070006: msg`The code is not correct or was used already.`,
  5000001: msg`Something went wrong. Try again.`,
};

/** translate renders a Kratos message or label in the active language. */
export function translate(i18n: I18n, text: UiText | undefined): string {
  if (!text) return "";
  const d = byId[text.id];
  if (!d) return text.text;
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(text.context ?? {})) {
    values[k] = k.endsWith("_at") && typeof v === "string" ? i18n.date(v, { dateStyle: "medium", timeStyle: "short" }) : v;
  }
  return i18n._(d.id, values, { message: d.message });
}

/** hasTranslation reports whether we translate message id (tests). */
export function hasTranslation(id: number): boolean {
  return id in byId;
}
