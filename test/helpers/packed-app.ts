import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

// An app outside the repository that installs the packed @parley/client as any app does: from
// its tarball, through npm, offline. npm (11) resolves a dependency without a lock from the
// registry's full packuments, which the npm cache does not hold (`npm ci` fetched tarballs
// only); so the app gets a package-lock.json cut from the repository's, and `npm ci --offline`
// installs exactly the versions the repository tests with, from the cache, with no network.

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const run$ = promisify(execFile);

/** The fields of a package-lock.json entry this helper reads or writes. */
interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** A package-lock.json (lockfileVersion 3): its entries by install path, `""` being the root. */
interface Lockfile {
  name: string;
  lockfileVersion: 3;
  requires: true;
  packages: Record<string, LockEntry & { name?: string; devDependencies?: Record<string, string> }>;
}

/** The packed client: the tarball's path, its files, and the package.json inside it. */
export interface PackedClient {
  tarball: string;
  files: string[];
  manifest: LockEntry & {
    name: string;
    version: string;
    exports?: unknown;
    sideEffects?: boolean;
    main?: string;
    license?: string;
  };
}

/**
 * Runs `command` in `cwd` and answers its stdout; throws with its stderr when it fails or
 * outlasts `timeoutMs`. The variables of the npm run that started the tests (`npm_*`) are
 * dropped: the command sees the app it runs in, not the repository.
 */
export async function run(command: string, args: readonly string[], cwd: string, timeoutMs = 240_000): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  try {
    const { stdout } = await run$(command, args, {
      cwd,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...env, npm_config_update_notifier: "false", npm_config_audit: "false", npm_config_fund: "false" },
    });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stderr ?? ""}${stdout ?? ""}`.slice(0, 8_000));
  }
}

/**
 * `npm pack` of client/ into `destination`, as it stands: it builds nothing (`npm test` ran
 * `npm run build`), and fails when client/dist is missing.
 */
export async function packClient(destination: string): Promise<PackedClient> {
  const clientDir = join(repoRoot, "client");
  mkdirSync(destination, { recursive: true });
  const [packed] = JSON.parse(await run("npm", ["pack", "--json", "--pack-destination", destination], clientDir)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(destination, packed.filename);
  const manifest = JSON.parse(
    await run("tar", ["-xzOf", tarball, "package/package.json"], destination),
  ) as PackedClient["manifest"];
  return { tarball, files: packed.files.map((file) => file.path).sort(), manifest };
}

/** The version the repository's lock installs as `name` at its top level. */
function lockedVersion(name: string): string {
  const version = repoLock().packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in the repository's package-lock.json`);
  return version;
}

/** The repository's package-lock.json. */
function repoLock(): Lockfile {
  return JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as Lockfile;
}

/** Where node finds `name` from the package installed at `from` (`""`: the root), in `packages`. */
function resolveFrom(packages: Lockfile["packages"], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (packages[candidate] && !packages[candidate].link) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
}

/** The dependencies of `entry` npm installs, each with whether it is optional. */
function edgesOf(entry: LockEntry): [string, boolean][] {
  const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional);
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name): [string, boolean] => [name, false]),
    ...peers.map((name): [string, boolean] => [name, false]),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name): [string, boolean] => [name, true]),
  ];
}

/**
 * The install paths `roots` (top-level names) need in the repository's lock, through required
 * edges only or through all (`withOptional`); a required one that is missing throws.
 */
function closure(packages: Lockfile["packages"], roots: readonly string[], withOptional: boolean): Set<string> {
  const seen = new Set<string>();
  const queue: [string, string, boolean][] = roots.map((name) => ["", name, false]);
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [from, name, optional] = next;
    const path = resolveFrom(packages, from, name);
    if (!path) {
      if (optional) continue;
      throw new Error(`${name} (needed from ${from || "the app"}) is not in the repository's package-lock.json`);
    }
    if (seen.has(path)) continue;
    seen.add(path);
    for (const [dependency, isOptional] of edgesOf(packages[path])) {
      if (withOptional || !isOptional) queue.push([path, dependency, isOptional]);
    }
  }
  return seen;
}

/** `entry` without the repository's dev/optional/peer flags; `optional` as the app needs it. */
function entryFor(entry: LockEntry, optional: boolean): LockEntry {
  const { dev: _dev, devOptional: _devOptional, peer: _peer, optional: _optional, ...rest } = entry;
  return optional ? { ...rest, optional: true } : rest;
}

/**
 * The package-lock.json of an app in `appDir` whose package.json lists `dependencies` and
 * `devDependencies` (from the repository's lock) and `client` as `@parley/client`: the
 * repository's entries for what they need, at the same install paths, so the same versions.
 */
function appLockfile(
  appDir: string,
  client: PackedClient,
  deps: { dependencies: Record<string, string>; devDependencies: Record<string, string> },
): Lockfile {
  const { packages } = repoLock();
  const clientNeeds = edgesOf(client.manifest).map(([name]) => name);
  const roots = [...Object.keys(deps.dependencies), ...Object.keys(deps.devDependencies), ...clientNeeds].filter(
    (name) => name !== "@parley/client",
  );
  const required = closure(packages, roots, false);
  const all = [...closure(packages, roots, true)].sort();
  const { name, version, dependencies, peerDependencies, peerDependenciesMeta } = client.manifest;
  const integrity = `sha512-${createHash("sha512").update(readFileSync(client.tarball)).digest("base64")}`;
  return {
    name: basename(appDir),
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: basename(appDir), ...deps },
      [`node_modules/${name}`]: {
        version,
        resolved: clientSpec(appDir, client),
        integrity,
        dependencies,
        peerDependencies,
        peerDependenciesMeta,
      },
      ...Object.fromEntries(all.map((path) => [path, entryFor(packages[path], !required.has(path))])),
    },
  };
}

/** How the app's package.json names the client's tarball: `file:` and its path from the app. */
function clientSpec(appDir: string, client: PackedClient): string {
  return `file:${relative(appDir, client.tarball).split(sep).join("/")}`;
}

const contentTypes: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
};

/** Serves the files under `dir` on 127.0.0.1 (an ephemeral port); answers its origin and how to stop it. */
export async function serveStatic(dir: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const file = resolve(dir, `.${path === "/" ? "/index.html" : path}`);
    if (!file.startsWith(dir + sep)) return void response.writeHead(404).end();
    readFile(file).then(
      (body) => response.writeHead(200, { "content-type": contentTypes[extname(file)] ?? "application/octet-stream" }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const close = async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  };
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

/** Writes `files` (paths relative to `dir`, and their text) under `dir`. */
function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/**
 * Makes an app in `dir` that depends on `client` (its tarball), `firebase`, and as dev tools
 * `vite` and `typescript`, at the repository's versions; writes `sources` and installs it with
 * `npm ci --offline` from the npm cache. Answers `dir`.
 */
export async function createApp(dir: string, client: PackedClient, sources: Record<string, string>): Promise<string> {
  const deps = {
    dependencies: { [client.manifest.name]: clientSpec(dir, client), firebase: lockedVersion("firebase") },
    devDependencies: { typescript: lockedVersion("typescript"), vite: lockedVersion("vite") },
  };
  const manifest = { name: basename(dir), private: true, type: "module", ...deps };
  writeFiles(dir, {
    "package.json": JSON.stringify(manifest, null, 2),
    "package-lock.json": JSON.stringify(appLockfile(dir, client, deps), null, 2),
    ...sources,
  });
  await run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], dir);
  return dir;
}
