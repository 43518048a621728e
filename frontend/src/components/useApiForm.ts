// react-hook-form with the API's problems placed at the fields they concern.
import { useState } from "react";
import { useForm, type FieldValues, type Path, type UseFormProps } from "react-hook-form";
import { ApiError, errorMessage, mapProblem } from "../api/problem";

export function useApiForm<T extends FieldValues>(props: UseFormProps<T>, fields: string[]) {
  const form = useForm<T>(props);
  const [formErrors, setFormErrors] = useState<string[]>([]);
  /** run calls the API; a problem becomes field errors and form errors. It returns whether it succeeded. */
  const run = async (call: () => Promise<unknown>): Promise<boolean> => {
    setFormErrors([]);
    try {
      await call();
      return true;
    } catch (err) {
      if (err instanceof ApiError) {
        const mapped = mapProblem(err.problem, fields);
        for (const [field, message] of Object.entries(mapped.fields)) {
          form.setError(field as Path<T>, { type: "server", message });
        }
        setFormErrors(mapped.form.length ? mapped.form : Object.keys(mapped.fields).length ? [] : [err.message]);
        const first = Object.keys(mapped.fields)[0];
        if (first) form.setFocus(first as Path<T>);
      } else {
        setFormErrors([errorMessage(err)]);
      }
      return false;
    }
  };
  return { ...form, formErrors, setFormErrors, run };
}
