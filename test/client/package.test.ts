import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageId } from "../../functions/src/shared/docs.js";
import { adminDb } from "../helpers/admin.js";
import { createChat } from "../helpers/api.js";
import { launchBrowser } from "../helpers/browser.js";
import { apiBase, authHost, firestoreHost, functionsHost, hostAndPort, projectId } from "../helpers/emulators.js";
import { appSources } from "../helpers/packed-app-sources.js";
import { createApp, packClient, run, serveStatic, type PackedClient } from "../helpers/packed-app.js";
import { signUpMany } from "../helpers/users.js";

// @parley/client as an app gets it: `npm pack` of client/ as `npm run build` left it, installed
// (`npm ci --offline`, from the npm cache) into a fresh app in the OS temp folder that sees
// nothing of the repository but the tarball. Vite bundles a page on it that Chromium runs against
// the emulators; tsc checks the app's code against its types, React Native-style too.

const root = mkdtempSync(join(tmpdir(), "parley-pack-"));
let client: PackedClient;
let appDir: string;

beforeAll(async () => {
  client = await packClient(join(root, "pack"));
  appDir = await createApp(join(root, "app"), client, appSources);
}, 300_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The files under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The module specifiers a compiled file imports or re-exports, static and dynamic. */
function specifiersOf(file: string): string[] {
  const code = readFileSync(file, "utf8");
  // `from` after a space or `}` (not the string "from" in a type such as `Pick<MessageView, "from">`).
  const patterns = [/(?:^|[\s}])from\s*"([^"]+)"/gm, /\bimport\s*\(\s*"([^"]+)"\s*\)/g, /^\s*import\s*"([^"]+)"/gm];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]));
}

/** The package a bare specifier names: `zod`, `firebase` for `firebase/auth`, `@scope/name`. */
const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/** What the page's `sendThroughParley` answers (test/helpers/packed-app-sources.ts). */
interface SendResult {
  number: number;
  seen: string;
  refused: string;
}

describe("@parley/client, packed and installed into an app", () => {
  it("when packed, then the tarball holds compiled ESM with declarations, an exports map, and firebase as a peer", () => {
    const { files, manifest } = client;
    expect(files.filter((path) => !["package.json", "README.md"].includes(path) && !path.startsWith("dist/"))).toEqual([]);
    expect(files).toContain("README.md");
    expect(manifest.license).toBe("Apache-2.0");
    expect(files).toEqual(expect.arrayContaining(["dist/client/src/index.js", "dist/client/src/index.d.ts"]));
    const compiled = files.filter((path) => path.endsWith(".js"));
    expect(compiled.filter((path) => !files.includes(path.replace(/\.js$/, ".d.ts")))).toEqual([]);
    expect(manifest).toMatchObject({
      name: "@parley/client",
      type: "module",
      sideEffects: false,
      exports: {
        ".": {
          types: "./dist/client/src/index.d.ts",
          import: "./dist/client/src/index.js",
          default: "./dist/client/src/index.js",
        },
      },
      peerDependencies: { firebase: expect.any(String) },
    });
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(["zod"]);
  });

  it("when installed, then every import of its compiled files resolves inside it or to zod or firebase", async () => {
    const installed = join(appDir, "node_modules/@parley/client");
    const outside: string[] = [];
    for (const file of filesUnder(join(installed, "dist"))) {
      for (const specifier of specifiersOf(file)) {
        if (!specifier.startsWith(".")) {
          if (!["zod", "firebase"].includes(packageOf(specifier))) outside.push(`${file}: ${specifier}`);
          continue;
        }
        const target = resolve(dirname(file), file.endsWith(".d.ts") ? specifier.replace(/\.js$/, ".d.ts") : specifier);
        if (!target.startsWith(installed) || !existsSync(target)) outside.push(`${file}: ${specifier}`);
      }
    }
    expect(outside).toEqual([]);

    // Node loads the whole graph from the app, with nothing of the repository around it.
    const script = 'const m = await import("@parley/client"); console.log(Object.keys(m).sort().join(","));';
    const exported = (await run("node", ["--input-type=module", "-e", script], appDir)).trim().split(",");
    expect(exported).toEqual(expect.arrayContaining(["createParleyClient", "ParleyError", "Outbox", "DELETED_USER"]));
  });

  it("when the app's code is type-checked against it, for the web, React Native and Node16, then tsc finds no error", async () => {
    for (const project of ["tsconfig.json", "tsconfig.native.json", "tsconfig.node16.json"]) {
      await expect(run("node", ["node_modules/typescript/bin/tsc", "-p", project], appDir)).resolves.toBe("");
    }
  }, 120_000);

  it("when Vite bundles a page on it and Chromium runs the page, then its message lands in Firestore", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await run("node", ["node_modules/vite/bin/vite.js", "build", "--logLevel", "error"], appDir);
    const site = await serveStatic(join(appDir, "dist"));
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(site.origin);
      await page.waitForFunction(() => "sendThroughParley" in window);
      const setup = {
        projectId,
        authOrigin: `http://${authHost}`,
        firestore: hostAndPort(firestoreHost),
        functions: hostAndPort(functionsHost),
        apiBase,
        email: alice.email,
        password: alice.password,
        chatId,
        text: "Sent from a packed client",
        clientMessageId: `pack-${randomUUID()}`,
      };
      const sent = await page.evaluate(
        (given) =>
          (window as unknown as { sendThroughParley: (s: typeof given) => Promise<SendResult> }).sendThroughParley(given),
        setup,
      );

      expect(errors).toEqual([]);
      expect(sent).toEqual({ number: expect.any(Number), seen: setup.text, refused: "not-found" });
      const stored = await adminDb()
        .doc(`chats/${chatId}/messages/${messageId(sent.number)}`)
        .get();
      expect(stored.data()).toMatchObject({
        from: alice.uid,
        type: "text",
        text: setup.text,
        clientMessageId: setup.clientMessageId,
      });
    } finally {
      await browser.close();
      await site.close();
    }
  }, 180_000);
});
