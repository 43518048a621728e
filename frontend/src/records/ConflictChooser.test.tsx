// The conflict view: each conflicting field with the value the person
// started from, the other person's and theirs (labelled, in their language),
// "mine" chosen by default, and the choices handed back.
import { beforeAll, describe, expect, it } from "vitest";
import { act } from "react";
import type { Root } from "react-dom/client";
import { attach } from "../testing/attach";
import { I18nProvider } from "@lingui/react";
import { activate, i18n } from "../i18n";
import { buildConfig } from "./config";
import { ConflictChooser } from "./ConflictChooser";
import type { Choice } from "./patch";

const config = buildConfig(
  [
    {
      unique_id: "basic_identity", parent_form: "case", module_ids: ["m"], name: { en: "Basic identity" }, order: 1, order_form_group: 1, is_nested: false, core_form: true,
      fields: [
        { name: "sex", type: "select_box", display_name: { en: "Sex" }, option_strings_source: "lookup lookup-sex" },
        { name: "family", type: "subform", display_name: { en: "Family members" }, subform_section_unique_id: "fam" },
      ],
    },
    { unique_id: "fam", parent_form: "case", module_ids: ["m"], name: { en: "Member" }, order: 1, order_form_group: 0, is_nested: true, core_form: true, fields: [{ name: "relation_name", type: "text_field", display_name: { en: "Name" } }] },
  ],
  [{ unique_id: "lookup-sex", name: { en: "Sex" }, values: [{ id: "female", display_text: { en: "Female" } }, { id: "male", display_text: { en: "Male" } }] }],
);

let root: Root | undefined;
let host: HTMLElement;
beforeAll(() => activate("en"));

describe("ConflictChooser", () => {
  it("shows base, theirs and yours per field and returns the choices", () => {
    let got: Record<string, Choice> | undefined;
    ({ host, root } = attach());
    act(() =>
      root!.render(
        <I18nProvider i18n={i18n}>
          <ConflictChooser
            config={config}
            conflicts={[
              { path: "sex", base: null, theirs: "male", yours: "female" },
              { path: "family[0b7a2f3c-aaaa].relation_name", base: "Sara", theirs: "Sahra", yours: "Sarah" },
            ]}
            onResolve={(c) => (got = c)}
          />
        </I18nProvider>,
      ),
    );
    const sets = [...host.querySelectorAll("fieldset")];
    expect(sets.map((s) => s.querySelector("legend")!.textContent)).toEqual(["Sex", "Family members › entry 0b7a2f3c › Name"]);
    expect(sets[0].querySelector("[data-testid=theirs]")!.textContent).toBe("Male");
    expect(sets[0].querySelector("[data-testid=yours]")!.textContent).toBe("Female");
    expect(sets[0].querySelector("dd")!.textContent).toBe("—");
    expect(sets[1].textContent).toContain("Sara");
    expect(sets.every((s) => (s.querySelector('input[id$="-yours"]') as HTMLInputElement).checked)).toBe(true);
    act(() => (sets[1].querySelector('input[id$="-theirs"]') as HTMLInputElement).click());
    act(() => (host.querySelector("button") as HTMLButtonElement).click());
    expect(got).toEqual({ sex: "yours", "family[0b7a2f3c-aaaa].relation_name": "theirs" });
  });
});
