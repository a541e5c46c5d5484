// The sources of the app test/client/package.test.ts installs the packed client into: a web
// page Vite bundles, and a React Native-style module tsc checks under the `react-native`
// condition. They use only the package's public API, as an app's code would.

/** Vite's entry page. */
const indexHtml = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>An app on @parley/client</title></head>
  <body><script type="module" src="/src/main.ts"></script></body>
</html>
`;

/**
 * The web entry: `window.sendThroughParley(setup)` signs in on the emulators with the packed
 * client, sends a message through the REST API, waits for its own listener to show it, and
 * tries a chat that does not exist to see the package's `ParleyError`.
 */
const mainTs = `import { createParleyClient, ParleyError, type MessagesState, type ParleyClient } from "@parley/client";
import { initializeApp } from "firebase/app";
import { connectAuthEmulator, getAuth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions } from "firebase/functions";

/** Where the emulators are, who signs in, and what to send where. */
export interface SendSetup {
  projectId: string;
  authOrigin: string;
  firestore: [string, number];
  functions: [string, number];
  apiBase: string;
  email: string;
  password: string;
  chatId: string;
  text: string;
  clientMessageId: string;
}

/** What the page saw: the sent message's number and text as the listener showed it, the refusal's code. */
export interface SendResult {
  number: number;
  seen: string;
  refused: string;
}

/** Resolves with the text of message \`number\` once the client's listener shows it. */
function shown(client: ParleyClient, chatId: string, number: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const stop = client.watchMessages(chatId, (state: MessagesState) => {
      const message = state.messages.find((m) => m.number === number);
      if (!message) return;
      stop();
      resolve(message.text ?? "");
    }, reject);
  });
}

async function sendThroughParley(setup: SendSetup): Promise<SendResult> {
  const app = initializeApp({ projectId: setup.projectId, apiKey: "demo-key" });
  connectAuthEmulator(getAuth(app), setup.authOrigin, { disableWarnings: true });
  connectFirestoreEmulator(getFirestore(app), ...setup.firestore);
  connectFunctionsEmulator(getFunctions(app, "us-central1"), ...setup.functions);
  const client = createParleyClient(app, { apiBase: setup.apiBase, reportDelivered: false });
  await client.signIn(setup.email, setup.password);
  const { chatId, text, clientMessageId } = setup;
  const { message } = await client.rest.sendMessage({ chatId, text, clientMessageId });
  const seen = await shown(client, chatId, message.number);
  const refused = await client.rest.sendMessage({ chatId: "no-such-chat", text }).then(
    () => "sent",
    (error: unknown) => (error instanceof ParleyError ? error.code : String(error)),
  );
  await client.signOut();
  return { number: message.number, seen, refused };
}

declare global {
  interface Window {
    sendThroughParley?: typeof sendThroughParley;
  }
}
window.sendThroughParley = sendThroughParley;
`;

/**
 * A React Native-style module, checked without the DOM: a synchronous key-value store for the
 * outbox, as react-native-mmkv's is, and the client's REST, types and errors.
 */
const nativeTs = `import { createParleyClient, ParleyError, type OutboxStorage, type ParleyClient } from "@parley/client";
import type { MessageView, OutgoingMessage } from "@parley/client";
import { initializeApp } from "firebase/app";

/** A synchronous key-value store, as react-native-mmkv's is. */
const memory = new Map<string, string>();
const storage: OutboxStorage = {
  getItem: (key) => memory.get(key) ?? null,
  setItem: (key, value) => void memory.set(key, value),
  removeItem: (key) => void memory.delete(key),
};

export function connect(apiBase: string): ParleyClient {
  const app = initializeApp({ projectId: "demo-parley", apiKey: "demo-key" });
  return createParleyClient(app, { apiBase, storage });
}

export async function lastLine(client: ParleyClient, chatId: string): Promise<string> {
  try {
    const page = await client.rest.listMessages({ chatId });
    const last: MessageView | undefined = page.messages.at(-1);
    return last?.text ?? "";
  } catch (error) {
    if (error instanceof ParleyError && error.code === "not-found") return "";
    throw error;
  }
}

export function pending(client: ParleyClient, chatId: string, onChange: (outgoing: OutgoingMessage[]) => void) {
  return client.watchConversation(chatId, (state) => onChange(state.outgoing));
}
`;

/** The web app's compiler options: a bundler's resolution, the DOM. */
const webTsconfig = {
  compilerOptions: {
    module: "ESNext",
    moduleResolution: "Bundler",
    target: "ES2022",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  files: ["src/main.ts"],
};

/** React Native's compiler options (as @react-native/typescript-config sets them): the `react-native` condition, no DOM. */
const nativeTsconfig = {
  compilerOptions: {
    module: "ESNext",
    moduleResolution: "Bundler",
    customConditions: ["react-native"],
    target: "ESNext",
    lib: ["ES2022"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  files: ["src/native.ts"],
};

/** Node's own resolution (an ESM app under \`Node16\`), as jest or a server-side consumer sees the package. */
const node16Tsconfig = {
  compilerOptions: {
    ...nativeTsconfig.compilerOptions,
    module: "Node16",
    moduleResolution: "Node16",
    customConditions: undefined,
  },
  files: ["src/native.ts"],
};

/** The app's files, by path. */
export const appSources: Record<string, string> = {
  "index.html": indexHtml,
  "src/main.ts": mainTs,
  "src/native.ts": nativeTs,
  "tsconfig.json": JSON.stringify(webTsconfig, null, 2),
  "tsconfig.native.json": JSON.stringify(nativeTsconfig, null, 2),
  "tsconfig.node16.json": JSON.stringify(node16Tsconfig, null, 2),
};
