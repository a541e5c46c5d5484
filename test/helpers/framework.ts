import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { bucketName, localOrigin, projectId } from "./emulators.js";
import { eventually } from "./wait.js";

/** The params of functions/.env: what a deployed function gets (not the emulator project's overrides). */
function productionParams(): Record<string, string> {
  const lines = readFileSync("functions/.env", "utf8").split("\n");
  return Object.fromEntries(lines.filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split(/=(.*)/s).slice(0, 2)));
}

/** A built function served as Cloud Run serves it. */
export interface ServedFunction {
  base: string;
  stop: () => void;
  /** Kills the process at once (SIGKILL), as an instance that is recycled or crashes; resolves once it is gone. */
  kill: () => Promise<void>;
}

/**
 * Serves the built `api` with the Functions Framework (the runtime Cloud Run uses: one process,
 * concurrent requests, module state kept between them) on `port`, against the emulators, with
 * functions/.env's params and `overrides`. Resolves once it answers.
 */
export async function serveApi(port: number, overrides: Record<string, string> = {}): Promise<ServedFunction> {
  // The package's own bin, not `npx`: a restart (the fault tests kill and restart it) starts one process, at once.
  const bin = resolve("node_modules/.bin/functions-framework");
  const child = spawn(bin, ["--target=api", "--source=lib/index.js", `--port=${port}`], {
    cwd: "functions",
    stdio: "ignore",
    detached: true,
    env: {
      ...process.env,
      ...productionParams(),
      ...overrides,
      FUNCTION_TARGET: "api",
      GCLOUD_PROJECT: projectId,
      FIREBASE_CONFIG: JSON.stringify({ projectId, storageBucket: bucketName }),
    },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = () => {
    if (child.pid) process.kill(-child.pid);
  };
  const kill = async () => {
    if (child.pid) process.kill(-child.pid, "SIGKILL");
    await exited;
  };
  const base = `${localOrigin(port)}/v1`;
  try {
    await eventually(
      async () => {
        const response = await fetch(`${base}/openapi.json`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      },
      120_000,
      100,
    );
  } catch {
    stop();
    throw new Error(`The Functions Framework did not start on port ${port}.`);
  }
  return { base, stop, kill };
}
