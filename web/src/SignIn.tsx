import { useState, type FormEvent } from "react";
import { parley } from "./parley.js";
import { formText } from "./form.js";

/** E-mail and password sign-in, or sign-up with a display name. */
export function SignIn() {
  const [mode, setMode] = useState<"in" | "up">("in");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = formText(event, "email");
    const password = formText(event, "password");
    setBusy(true);
    setError(null);
    try {
      if (mode === "in") await parley.signIn(email, password);
      else await parley.signUp(email, password, formText(event, "displayName"));
    } catch (failure) {
      setError((failure as Error).message.replace(/^Firebase: /, ""));
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <h1>Parley</h1>
      <form onSubmit={(event) => void submit(event)} aria-label={mode === "in" ? "Sign in" : "Create account"}>
        {mode === "up" && (
          <label>
            Display name
            <input name="displayName" required maxLength={100} autoComplete="name" />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" required autoComplete="email" />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            required
            minLength={6}
            autoComplete={mode === "in" ? "current-password" : "new-password"}
          />
        </label>
        {error && <p role="alert">{error}</p>}
        <button type="submit" disabled={busy}>
          {mode === "in" ? "Sign in" : "Create account"}
        </button>
      </form>
      <button type="button" className="link" onClick={() => setMode(mode === "in" ? "up" : "in")}>
        {mode === "in" ? "New here? Create an account" : "Have an account? Sign in"}
      </button>
      <p className="hint">Demo users: alice, bob or carol @example.com, password parley-demo.</p>
    </main>
  );
}
