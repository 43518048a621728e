// Register a case, step 1: the names, sex, date of birth (or age), location
// and IDs typed here are checked against the cases the person may see
// (POST /api/v2/cases/duplicates); likely duplicates are listed with why and a
// link. Then the form opens with what was typed already in it (same store).
import { useState } from "react";
import { Link } from "@tanstack/react-router";
import { msg } from "@lingui/core/macro";
import type { MessageDescriptor } from "@lingui/core";
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { ApiError, errorMessage } from "../../api/problem";
import type { RecordConfig } from "../../records/config";
import { checkFields, duplicateRequest, reasonKey, type Duplicate } from "../../records/duplicates";
import type { RecordStore } from "../../records/store";
import { Widget } from "../../records/Widgets";
import { percent } from "../../matching/compare";
import "../../styles/matching.css";

const reasonNames: Record<string, MessageDescriptor> = {
  "id:exact": msg`Same ID number`,
  "name:exact": msg`Same name`,
  "name:phonetic": msg`Name sounds the same`,
  "name:close": msg`Name spelled almost the same`,
  "date_of_birth:exact": msg`Same date of birth`,
  "date_of_birth:close": msg`Date of birth within a year`,
  "age:exact": msg`Same age`,
  "age:close": msg`Age within a year`,
  "sex:exact": msg`Same sex`,
  "location:exact": msg`Same location`,
  "location_current:exact": msg`Same location`,
};

export function DuplicateCheck({ config, store, moduleId, onContinue }: { config: RecordConfig; store: RecordStore; moduleId: string; onContinue: () => void }) {
  const { i18n, t } = useLingui();
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Duplicate[]>();
  const [error, setError] = useState<string>();
  const fields = checkFields(config);
  const check = async () => {
    setError(undefined);
    const body = duplicateRequest(config, store.values, moduleId);
    if (!body) {
      setFound(undefined);
      setError(t`Enter a name or an ID number to look for duplicates.`);
      return;
    }
    setBusy(true);
    try {
      setFound(data(await api.POST("/api/v2/cases/duplicates", { body: body as never })).data ?? []);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err.problem.errors?.map((e) => e.message).join(" ") || err.message
          : err instanceof TypeError
            ? `${errorMessage(err)} ${t`You can continue to the form, and look for duplicates when you are online.`}`
            : errorMessage(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="duplicate-check" aria-labelledby="dup-title">
      <h2 id="dup-title">
        <Trans>First, is this child already registered?</Trans>
      </h2>
      <p className="muted">
        <Trans>Enter what you know; the cases you may see that look like this child are listed. What you enter here is kept in the form.</Trans>
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
      >
        <div className="fields">
          {fields.map((f) => (
            <Widget key={f.name} field={f} place={{ field: f.name }} store={store} lookups={config.lookups} readOnly={false} get={(n) => store.values[n]} estimated={config.fields.has("estimated")} />
          ))}
        </div>
        {error && (
          <p role="alert" className="notice notice-error">
            {error}
          </p>
        )}
        <div className="actions duplicate-actions">
          <button type="submit" className="button" disabled={busy} data-testid="check-duplicates">
            {busy ? t`Looking…` : t`Look for duplicates`}
          </button>
          <button type="button" className={found ? "button" : "button button-secondary"} onClick={onContinue} data-testid="continue-to-form">
            {found?.length ? t`None of these: continue to the form` : t`Continue to the form`}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite" className="duplicates">
        {found &&
          (found.length ? (
            <>
              <p>
                <strong>
                  <Plural value={found.length} one="# case may be this child:" other="# cases may be this child:" />
                </strong>
              </p>
              <ul className="match-list duplicate-list" data-testid="duplicates">
                {found.map((d) => {
                  const r = d.record as Record<string, unknown> & { id: string; short_id: string };
                  const name = ["name_first", "name_middle", "name_last"].map((n) => r[n]).filter((x) => typeof x === "string" && x).join(" ");
                  return (
                    <li key={r.id} className="card" data-testid="duplicate">
                      <p>
                        <Link to="/cases/$id" params={{ id: r.id }} target="_blank">
                          <span dir="auto">{name || t`(no name)`}</span> <code dir="ltr">{r.short_id}</code>
                        </Link>{" "}
                        <span className="muted">
                          <Trans>score</Trans> <span dir="ltr">{percent(d.score, i18n.locale)}</span>
                        </span>
                      </p>
                      <ul className="reasons">
                        {(d.reasons ?? []).map((x, i) => {
                          const k = reasonKey(x, config);
                          return <li key={i}>{reasonNames[k] ? i18n._(reasonNames[k]) : `${x.field}: ${x.match}`}</li>;
                        })}
                      </ul>
                    </li>
                  );
                })}
              </ul>
            </>
          ) : (
            <p className="notice notice-success">
              <Trans>No registered case you may see looks like this child.</Trans>
            </p>
          ))}
      </div>
    </section>
  );
}
