// Forgotten password and first sign-in from an invitation: an emailed code
// (the invitation's link opens this page with its flow), then the settings
// page to choose a password.
import { Link, useSearch } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";
import { AuthLayout } from "../../app/AuthLayout";
import { KratosForm, Messages } from "../../kratos/KratosForm";
import { useFlow } from "../../kratos/useFlow";
import { FlowFailure } from "./FlowFailure";

export default function Recovery() {
  const search = useSearch({ strict: false }) as { flow?: string };
  const { flow, failure, submit } = useFlow({ kind: "recovery", flowId: search.flow, search });
  const codeSent = flow?.state === "sent_email";
  return (
    <AuthLayout title={codeSent ? <Trans>Enter your code</Trans> : <Trans>Forgotten password</Trans>}>
      {failure && <FlowFailure failure={failure} />}
      {flow && (
        <>
          <Messages messages={flow.ui.messages} />
          <p>
            {codeSent ? (
              <Trans>
                The code is in the email you received: your invitation, or the message you asked for. Enter it to choose your password.
              </Trans>
            ) : (
              <Trans>Enter your email address. We will send you a code to choose a new password.</Trans>
            )}
          </p>
          <KratosForm flow={flow} group="code" onSubmit={submit} autoFocus />
        </>
      )}
      <p>
        <Link to="/auth/login">
          <Trans>Back to sign in</Trans>
        </Link>
      </p>
    </AuthLayout>
  );
}
