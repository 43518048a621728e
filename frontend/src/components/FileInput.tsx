// A file control worded in the app's language. The browser's own control
// (<input type="file">) says "Choose File" and "No file chosen" in the
// browser's language, whatever the page's; this keeps the same input
// underneath (hidden visually but focused and operated from the keyboard:
// Tab, then Space or Enter opens the chooser), shows its label as a button and
// the chosen file's name, both in the UI language and mirrored in Arabic.
import { Trans } from "@lingui/react/macro";
import { useState } from "react";

export interface FileInputProps {
  id: string;
  name?: string;
  accept?: string;
  invalid?: boolean;
  /** ids of hints or errors that describe the input, besides the chosen file's name */
  describedBy?: string;
  /** the chosen file, or undefined when the choice was cancelled */
  onFile: (file: File | undefined) => void;
}

/** FileInput is one file's input: a button-styled label and the chosen file's name (announced when it changes). */
export function FileInput({ id, name, accept, invalid, describedBy, onFile }: FileInputProps) {
  const [chosen, setChosen] = useState<string>();
  return (
    <div className="file-input">
      <input
        id={id}
        name={name}
        type="file"
        className="visually-hidden"
        accept={accept}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={[`${id}-chosen`, describedBy].filter(Boolean).join(" ")}
        onChange={(e) => {
          const f = e.target.files?.[0];
          setChosen(f?.name);
          onFile(f);
        }}
      />
      <label htmlFor={id} className="button button-secondary">
        <Trans>Choose a file</Trans>
      </label>
      <span id={`${id}-chosen`} className="file-input-name" dir="auto" aria-live="polite">
        {chosen ?? <Trans>No file chosen</Trans>}
      </span>
    </div>
  );
}
