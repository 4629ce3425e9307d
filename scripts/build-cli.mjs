#!/usr/bin/env node
// Compiles the `regulars` command (scripts/cli.ts and the lib/ modules it reaches) into plain
// JavaScript under dist/cli/, so the command starts without compiling TypeScript. Runs from
// `npm install` (the `prepare` script) and, when a source changed since, from scripts/regulars.mjs.
//
// - Packages in node_modules stay external (they load from node_modules as they are), except the
//   @stdlib special functions: each is a tree of a few dozen tiny CommonJS modules, ~250 in all,
//   and finding and reading them one by one took longer than the model fit; bundled, they are one
//   file read once.
// - Code splitting keeps every `await import(...)` in cli.ts a separate file, so a command loads
//   only what it uses (`clv fit --summary` never loads the database drivers).
// - dist/cli/manifest.json lists the project files the build read and when it started; a file in
//   that list modified after that time makes the build stale (isCliBuildFresh: one stat per file).
// - Several commands may rebuild at once (tests run in parallel): every file is written to a
//   temporary name and renamed into place, and chunks are named by their content hash, so a
//   running command never reads a half-written file and never loses a chunk it may still import.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = "dist/cli";
const MANIFEST = "manifest.json";
/** Files of an earlier build are removed once no command can still be running from them. */
const KEEP_OLD_MS = 60 * 60 * 1000;

/** Bare imports (packages) stay external, except those starting with one of these prefixes. */
const BUNDLED = ["@stdlib/"];
const externalPackages = {
  name: "external-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("@/") || BUNDLED.some((prefix) => args.path.startsWith(prefix))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

export const cliEntry = (root = ROOT) => path.join(root, OUT, "cli.mjs");

/** True when dist/cli holds a build newer than every source file it was built from. */
export function isCliBuildFresh(root = ROOT) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(root, OUT, MANIFEST), "utf8"));
  } catch {
    return false;
  }
  if (!fs.existsSync(cliEntry(root))) return false;
  for (const input of manifest.inputs) {
    const mtime = fs.statSync(path.join(root, input), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined || mtime > manifest.builtAt) return false;
  }
  return true;
}

function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

/** Builds dist/cli; throws with esbuild's messages when the sources do not compile. */
export async function buildCli({ root = ROOT, logLevel = "warning" } = {}) {
  const { build } = await import("esbuild");
  const builtAt = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: "scripts/cli.ts" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    plugins: [externalPackages],
    outdir: OUT,
    outExtension: { ".js": ".mjs" },
    chunkNames: "[name]-[hash]",
    metafile: true,
    write: false,
    logLevel,
  });
  const dir = path.join(root, OUT);
  fs.mkdirSync(dir, { recursive: true });
  // Chunks first, the entry after them, the manifest last: whoever sees the new manifest finds
  // every file it names.
  const files = [...result.outputFiles].sort((a, b) => Number(path.basename(a.path) === "cli.mjs") - Number(path.basename(b.path) === "cli.mjs"));
  for (const file of files) writeAtomically(file.path, file.contents);
  // The project's own sources; bundled packages are covered by the lock file, which every install
  // that changes them rewrites (stat-ing their ~250 files would make the check slower than Node's start).
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith("node_modules/"));
  const inputs = [...sources, "scripts/build-cli.mjs", "tsconfig.json", "package.json", "package-lock.json"];
  writeAtomically(path.join(dir, MANIFEST), JSON.stringify({ builtAt, inputs }, null, 1));

  const current = new Set([...files.map((f) => path.basename(f.path)), MANIFEST]);
  for (const name of fs.readdirSync(dir)) {
    if (current.has(name)) continue;
    const stat = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > KEEP_OLD_MS) fs.rmSync(path.join(dir, name), { force: true });
  }
  return { files: files.length, bytes: files.reduce((s, f) => s + f.contents.length, 0), ms: Date.now() - builtAt };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  buildCli()
    .then(({ files, bytes, ms }) => console.log(`regulars: command built into ${OUT}/ (${files} files, ${Math.round(bytes / 1024)} KiB, ${ms} ms).`))
    .catch(() => {
      // esbuild has printed what does not compile.
      process.exitCode = 1;
    });
}
