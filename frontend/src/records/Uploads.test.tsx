// The upload fields while registering (files kept with a description and a
// date until the record exists, a type refused at the field) and on a saved
// record (the queue's refusals shown at the field, with "Try again" only
// where sending the same file again may pass).
import { beforeAll, describe, expect, it } from "vitest";
import { act } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../testing/attach";
import { I18nProvider } from "@lingui/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { activate, i18n } from "../i18n";
import { buildConfig, type Form } from "./config";
import { RecordForm } from "./FormRenderer";
import { PendingUploads } from "./pending";
import { RecordStore } from "./store";
import { PendingUploadsContext, uploadQueue, UploadTargetContext, type UploadTarget } from "./Uploads";
import { type, typeDate } from "../testing/typing";

const forms: Form[] = [
  {
    unique_id: "photos_and_documents", parent_form: "case", module_ids: ["m"], name: { en: "Photos" }, order: 10, order_form_group: 10,
    form_group_id: "photos", form_group_name: { en: "Photos" }, is_nested: false, core_form: true,
    fields: [{ name: "photos", type: "photo_upload_box", display_name: { en: "Photos", ar: "الصور" } }],
  },
];
const config = buildConfig(forms, []);

let root: Root | undefined;
let host: HTMLElement;
beforeAll(async () => {
  await activate("en");
});

function render(el: React.ReactNode) {
  ({ host, root } = attach());
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  act(() =>
    root!.render(
      <QueryClientProvider client={qc}>
        <I18nProvider i18n={i18n}>{el}</I18nProvider>
      </QueryClientProvider>,
    ),
  );
}

/** choose puts files on a file input as the browser does, and fires its change. */
function choose(input: HTMLInputElement, files: File[]) {
  act(() => {
    Object.defineProperty(input, "files", { value: files, configurable: true });
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
const byLabel = (text: string, scope: ParentNode = host) => {
  const label = [...scope.querySelectorAll("label")].find((l) => l.textContent?.trim() === text)!;
  return document.getElementById(label.htmlFor) as HTMLInputElement;
};

describe("upload fields while registering", () => {
  it("keeps chosen files with a description and a date, refuses a type at the field, and removes one", () => {
    const pending = new PendingUploads();
    render(
      <PendingUploadsContext.Provider value={pending}>
        <RecordForm config={config} store={new RecordStore({})} readOnly={false} onSection={() => {}} />
      </PendingUploadsContext.Provider>,
    );
    expect(host.textContent).toContain("Files chosen here are uploaded when the record is registered.");
    choose(byLabel("Choose a photo"), [new File(["x"], "a.png", { type: "image/png" }), new File(["x"], "b.pdf", { type: "application/pdf" }), new File(["y"], "c.jpg", { type: "image/jpeg" })]);
    expect(pending.byField("photos").map((f) => f.file.name)).toEqual(["a.png", "c.jpg"]);
    expect(host.querySelector("[role=alert].field-error")!.textContent).toContain("b.pdf: This kind of file is not accepted here (the file is \u2068application/pdf\u2069).");
    expect(host.textContent).toContain("2 files will be uploaded when the record is registered.");
    const a = host.querySelector('[data-pending="a.png"]')!;
    type(byLabel("Description", a), "Front");
    typeDate(byLabel("Date taken or issued", a), "2026-11-30");
    expect(pending.byField("photos")[0].note).toEqual({ description: "Front", date: "2026-11-30" });
    act(() => (host.querySelector('[data-pending="c.jpg"] button') as HTMLButtonElement).click());
    expect(pending.byField("photos").map((f) => f.file.name)).toEqual(["a.png"]);
  });
});

describe("upload fields on a saved record", () => {
  it("shows a file refused before sending at its field (no retry: nothing was kept) and offers files while editing", () => {
    const target: UploadTarget = { resource: "cases", recordType: "case", recordId: "rec-ui-1", canChange: true, editing: true };
    uploadQueue.refuse("rec-ui-1", "photos", new File(["x"], "x.pdf", { type: "application/pdf" }), { kind: "type", detected: "application/pdf" });
    render(
      <UploadTargetContext.Provider value={target}>
        <RecordForm config={config} store={new RecordStore({ id: "rec-ui-1" })} readOnly={false} onSection={() => {}} />
      </UploadTargetContext.Provider>,
    );
    const failed = host.querySelector('[data-failed="x.pdf"]')!;
    expect(failed.textContent).toContain("not accepted here");
    // refused before sending: the file is not kept, so no retry; dismiss clears it
    expect([...failed.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Dismiss"]);
    // files are offered while editing too, with a description for the next one
    expect(host.textContent).not.toContain("save or cancel");
    expect(byLabel("Description")).toBeTruthy();
    act(() => (failed.querySelector("button") as HTMLButtonElement).click());
    expect(host.querySelector('[data-failed="x.pdf"]')).toBeNull();
  });
});
