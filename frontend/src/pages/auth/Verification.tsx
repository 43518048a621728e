import { Link, useSearch } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";
import { AuthLayout } from "../../app/AuthLayout";
import { KratosForm, Messages } from "../../kratos/KratosForm";
import { useFlow } from "../../kratos/useFlow";
import { FlowFailure } from "./FlowFailure";

/** Email address verification by emailed code. */
export default function Verification() {
  const search = useSearch({ strict: false }) as { flow?: string };
  const { flow, failure, submit } = useFlow({ kind: "verification", flowId: search.flow, search });
  return (
    <AuthLayout title={<Trans>Verify your email address</Trans>}>
      {failure && <FlowFailure failure={failure} />}
      {flow && (
        <>
          <Messages messages={flow.ui.messages} />
          {flow.state !== "passed_challenge" && <KratosForm flow={flow} group="code" onSubmit={submit} autoFocus />}
        </>
      )}
      <p>
        <Link to="/">
          <Trans>Continue to the app</Trans>
        </Link>
      </p>
    </AuthLayout>
  );
}
