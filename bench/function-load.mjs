// How long one function takes to load, and how much memory: for each deployed function, a fresh
// Node process with FUNCTION_TARGET set (as Cloud Run sets it) requires functions/lib/index.js and
// reads that export, as the Functions Framework does, then serves its first request (`api`, a
// callable; bench/first-use.cjs says how). Compared with the bare SDK import
// (firebase-admin/firestore + firebase-functions/v2/https), timed interleaved: for each function,
// RUNS rounds of bare, at load, with its first request, each in a fresh process, so that the
// machine's drift (other work on it) lands on both sides of each ratio. A ratio is the function's
// median over the median of the bare imports taken beside it.
// Usage: node bench/function-load.mjs [runs] [function ...]   (after npm run build; needs no emulators)
// PARLEY_FUNCTIONS_DIR=<dir> measures another build (its lib/) with the same method.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// PARLEY_FUNCTIONS_DIR: another build to measure (e.g. an older commit's, to compare).
const functionsDir = process.env.PARLEY_FUNCTIONS_DIR ?? fileURLToPath(new URL("../functions/", import.meta.url));
const sample = fileURLToPath(new URL("./first-use.cjs", import.meta.url));

/** One sample of bench/first-use.cjs: its wall ms and max RSS MiB. */
function measureOnce(mode, target, kind) {
  const env = { ...process.env };
  if (target === undefined) delete env.FUNCTION_TARGET;
  else env.FUNCTION_TARGET = target;
  const out = execFileSync("node", [sample, mode, ...(kind ? [kind] : [])], {
    cwd: functionsDir,
    env,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const lines = out.toString().trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The medians of some samples: `{ms, cpuMs, rssMiB}`. */
const medians = (samples) => ({
  ms: median(samples.map((s) => s.ms)),
  cpuMs: median(samples.map((s) => s.cpuMs)),
  rssMiB: median(samples.map((s) => s.rssMiB)),
});

/** `of`'s medians with their ratios to `bare`'s (`cpuRatio`: of CPU time, steadier on a busy machine). */
const against = (of, bare) => ({
  ...of,
  timeRatio: of.ms / bare.ms,
  cpuRatio: of.cpuMs / bare.cpuMs,
  memoryRatio: of.rssMiB / bare.rssMiB,
});

/**
 * `runs` rounds of the bare import and of each of `modes` for `target` (a function of `kind`),
 * interleaved; the medians.
 * @returns {Record<string, {ms: number, cpuMs: number, rssMiB: number, samples: object[]}>} by mode, and `bare`
 */
function interleaved(runs, target, modes, kind) {
  const samples = { bare: [], ...Object.fromEntries(modes.map((mode) => [mode, []])) };
  for (let round = 0; round < runs; round++) {
    samples.bare.push(measureOnce("bare"));
    for (const mode of modes) samples[mode].push(measureOnce(mode, target, kind));
  }
  return Object.fromEntries(Object.entries(samples).map(([key, list]) => [key, { ...medians(list), samples: list }]));
}

/** Medians without their samples. */
const withoutSamples = ({ samples: _samples, ...rest }) => rest;

/** What requests `name` serves (`api`, `callable`), so that its first one loads more code; none for a trigger or job. */
function kindOf(name, callables) {
  return name === "api" ? "api" : callables.includes(name) ? "callable" : undefined;
}

/**
 * Load time and memory of every function (or of `only`), and of the bare SDK import.
 * `bare` is the median of every bare sample; each function's ratios are to the bare samples
 * taken in turn with it. A trigger or job loads all its code with its module: its `firstUse` is
 * its `atLoad`.
 */
export function functionLoad({ runs = 9, only = [] } = {}) {
  const names = JSON.parse(
    execFileSync("node", ["-e", `process.stdout.write(JSON.stringify(Object.keys(require("./lib/index.js"))))`], {
      cwd: functionsDir,
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ).filter((name) => only.length === 0 || only.includes(name));
  const callables = JSON.parse(
    execFileSync("node", ["-e", `process.stdout.write(JSON.stringify(require("./lib/api/callables.js").callableNames))`], {
      cwd: functionsDir,
      stdio: ["ignore", "pipe", "ignore"],
    }),
  );
  const allBare = [];
  // Discovery (`firebase deploy`) reads every export: no FUNCTION_TARGET.
  const every = interleaved(runs, undefined, ["load"]);
  allBare.push(...every.bare.samples);
  const perFunction = names.map((name) => {
    const kind = kindOf(name, callables);
    const serves = kind !== undefined;
    const measured = interleaved(runs, name, serves ? ["load", "first-use"] : ["load"], kind);
    allBare.push(...measured.bare.samples);
    const bare = withoutSamples(measured.bare);
    const atLoad = against(withoutSamples(measured.load), bare);
    const firstUse = serves ? against(withoutSamples(measured["first-use"]), bare) : atLoad;
    return { name, bare, atLoad, firstUse };
  });
  return {
    runs,
    interleaved: true,
    bare: medians(allBare),
    everything: withoutSamples(every.load),
    perFunction,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [runs, ...only] = process.argv.slice(2);
  const result = functionLoad({ runs: Number(runs ?? 9), only });
  const cell = (m) =>
    `${m.ms.toFixed(0).padStart(4)} ms ${m.rssMiB.toFixed(0).padStart(3)} MiB ×${m.timeRatio.toFixed(2)} ×${m.memoryRatio.toFixed(2)} (cpu ×${m.cpuRatio.toFixed(2)})`;
  const plain = (m) => `${m.ms.toFixed(0).padStart(4)} ms ${m.rssMiB.toFixed(0).padStart(3)} MiB`;
  console.log(`median of ${result.runs} processes each, interleaved with the bare import`);
  console.log(`bare SDK import     ${plain(result.bare)}   (all bare samples)`);
  console.log(`every function      ${plain(result.everything)}`);
  console.log(
    `${"function".padEnd(18)} ${"bare beside it".padEnd(16)} ${"at load (time, memory, cpu vs bare)".padEnd(42)} with its first request`,
  );
  for (const r of result.perFunction) {
    console.log(`${r.name.padEnd(18)} ${plain(r.bare).padEnd(16)} ${cell(r.atLoad)}   ${cell(r.firstUse)}`);
  }
}
