import type { FormEvent } from "react";

/** The text field `name` of the submitted form ("" when it has none). */
export function formText(event: FormEvent<HTMLFormElement>, name: string): string {
  const value = new FormData(event.currentTarget).get(name);
  return typeof value === "string" ? value : "";
}
