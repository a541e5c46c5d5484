import type { PersonalExportView } from "@parley/client";
import { useEffect, useState } from "react";
import { DeleteAccount } from "./DeleteAccount.js";
import { parley } from "./parley.js";

/** The signed-in user's newest data export, live (`null`: none yet; `undefined`: loading). */
function useMyExport(): PersonalExportView | null | undefined {
  const [state, setState] = useState<PersonalExportView | null | undefined>(undefined);
  useEffect(() => parley.watchMyExport(setState), []);
  return state;
}

/** Saves the ready ZIP under its own name. */
async function saveZip() {
  const blob = await parley.rest.download("/v1/me/export/download");
  const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: "parley-data.zip" });
  a.click();
  // Not at once: revoking the URL in the same task can cancel the download.
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

/** What the export's state says, in words. */
function describe(state: PersonalExportView): string {
  if (state.status === "running") return `Preparing your data… ${state.messages + state.replies} messages so far.`;
  const size = Math.max(1, Math.round((state.bytes ?? 0) / 1024));
  return `Your data is ready: ${state.messages} messages, ${state.replies} thread replies and ${state.files} files (${size} KB).`;
}

/** "Download my data": ask for an export of everything of yours, follow it, save the ZIP. */
export function DownloadMyData() {
  const state = useMyExport();
  const [error, setError] = useState<string | null>(null);
  const ask = () => {
    setError(null);
    parley.rest.requestMyExport().catch((e: Error) => setError(e.message));
  };
  return (
    <section aria-labelledby="your-data">
      <h3 id="your-data">Your data</h3>
      <p>A ZIP of your profile, settings, blocks, chats and rooms, every message you sent, and your files.</p>
      {state && <p role="status">{describe(state)}</p>}
      {state?.status === "ready" && (
        <button type="button" onClick={() => void saveZip().catch((e: Error) => setError(e.message))}>
          Save the ZIP
        </button>
      )}
      <button type="button" disabled={state === undefined || state?.status === "running"} onClick={ask}>
        Download my data
      </button>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}

/** The settings page: the user's own data. */
export function Settings() {
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <DownloadMyData />
      <DeleteAccount />
    </section>
  );
}
