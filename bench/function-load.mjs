// How long one function takes to load, and how much memory: for each deployed function, a fresh
// Node process with FUNCTION_TARGET set (as Cloud Run sets it) requires functions/lib/index.js and
// reads that export, as the Functions Framework does. Compared with the bare SDK import
// (firebase-admin/firestore + firebase-functions/v2/https). Median of RUNS processes each.
// Usage: node bench/function-load.mjs [runs]   (after npm run build; needs no emulators)
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const functionsDir = fileURLToPath(new URL("../functions/", import.meta.url));
const runs = Number(process.argv[2] ?? 9);

/** Wall ms and max RSS MiB of a process that runs `code` in functions/, median of `runs`. */
function measure(code, env = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(
      "node",
      [
        "-e",
        `const t=process.hrtime.bigint();(async()=>{${code}})().then(()=>process.stdout.write(JSON.stringify({ms:Number(process.hrtime.bigint()-t)/1e6,rss:process.resourceUsage().maxRSS/1024})))`,
      ],
      { cwd: functionsDir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "ignore"] },
    );
    samples.push(JSON.parse(out));
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { ms: median(samples.map((s) => s.ms)), rssMiB: median(samples.map((s) => s.rss)) };
}

/** Load time and memory of every function, and of the bare SDK import. */
export function functionLoad() {
  const bare = measure(`require("firebase-admin/firestore");require("firebase-functions/v2/https")`);
  const names = JSON.parse(
    execFileSync("node", ["-e", `process.stdout.write(JSON.stringify(Object.keys(require("./lib/index.js"))))`], {
      cwd: functionsDir,
      stdio: ["ignore", "pipe", "ignore"],
    }),
  );
  const callables = JSON.parse(
    execFileSync("node", ["-e", `process.stdout.write(JSON.stringify(require("./lib/api/callables.js").callableNames))`], {
      cwd: functionsDir,
      stdio: ["ignore", "pipe", "ignore"],
    }),
  );
  const all = measure(`const m=require("./lib/index.js");for(const k of Object.keys(m))m[k]`);
  const perFunction = names.map((name) => {
    const target = JSON.stringify(name);
    const atLoad = measure(`require("./lib/index.js")[${target}]`, { FUNCTION_TARGET: name });
    // What a first request adds: a callable's capability, or for `api` every capability.
    // A trigger or job loads all its code with its module; a callable loads its declaration,
    // validation and capability with its first call.
    const handlers =
      name === "api"
        ? `const o=require("./lib/api/handlers.js");for(const n of Object.keys(require("./lib/contract.js").operations))await o.implementationOf(n)`
        : callables.includes(name)
          ? `require("./lib/api/callables.js");await require("./lib/api/handlers.js").implementationOf(${target})`
          : "";
    const firstUse = measure(`require("./lib/index.js")[${target}];${handlers}`, { FUNCTION_TARGET: name });
    return {
      name,
      atLoad: { ...atLoad, timeRatio: atLoad.ms / bare.ms, memoryRatio: atLoad.rssMiB / bare.rssMiB },
      firstUse: { ...firstUse, timeRatio: firstUse.ms / bare.ms, memoryRatio: firstUse.rssMiB / bare.rssMiB },
    };
  });
  return { runs, bare, everything: all, perFunction };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = functionLoad();
  const cell = (m) =>
    `${m.ms.toFixed(0).padStart(4)} ms ${m.rssMiB.toFixed(0).padStart(3)} MiB ×${m.timeRatio.toFixed(2)} ×${m.memoryRatio.toFixed(2)}`;
  console.log(`bare SDK import     ${result.bare.ms.toFixed(0).padStart(4)} ms ${result.bare.rssMiB.toFixed(0).padStart(3)} MiB`);
  console.log(
    `every function      ${result.everything.ms.toFixed(0).padStart(4)} ms ${result.everything.rssMiB.toFixed(0).padStart(3)} MiB`,
  );
  console.log(`${"function".padEnd(18)} ${"at load (time, memory vs bare)".padEnd(30)} with its first call's code`);
  for (const r of result.perFunction) console.log(`${r.name.padEnd(18)} ${cell(r.atLoad)}   ${cell(r.firstUse)}`);
}
