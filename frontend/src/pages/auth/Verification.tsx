import { Link, useSearch } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";
import { AuthLayout } from "../../app/AuthLayout";
import { KratosForm, Messages } from "../../kratos/KratosForm";
import { useFlow } from "../../kratos/useFlow";
import { FlowFailure } from "./FlowFailure";

/** Email address verification by emailed code: the address, then the code, then done. */
export default function Verification() {
  const search = useSearch({ strict: false }) as { flow?: string };
  const { flow, failure, submit } = useFlow({ kind: "verification", flowId: search.flow, search });
  const state = flow?.state;
  return (
    <AuthLayout title={<Trans>Verify your email address</Trans>}>
      {failure && <FlowFailure failure={failure} />}
      {!flow && !failure && (
        <p role="status">
          <Trans>Loading…</Trans>
        </p>
      )}
      {flow && (
        <>
          <Messages messages={flow.ui.messages} />
          {state === "choose_method" && (
            <p>
              <Trans>Enter your email address. We will send you a code to prove that it is yours.</Trans>
            </p>
          )}
          {state === "sent_email" && (
            <p>
              <Trans>Enter the code from the email we sent you.</Trans>
            </p>
          )}
          {state !== "passed_challenge" && <KratosForm flow={flow} group="code" onSubmit={submit} autoFocus />}
        </>
      )}
      <p>
        <Link to="/" className={state === "passed_challenge" ? "button" : undefined} data-testid="continue">
          <Trans>Continue to the app</Trans>
        </Link>
      </p>
    </AuthLayout>
  );
}
