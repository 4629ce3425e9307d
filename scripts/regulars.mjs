#!/usr/bin/env node
// The `regulars` command, wherever it is called from. It runs the compiled command (dist/cli, built
// by scripts/build-cli.mjs at `npm install`) in this process, so it starts as fast as Node does.
// When a source file of that build changed since (one stat per source file, a millisecond or two),
// it rebuilds first (a fraction of a second), so an edit in lib/ or scripts/ is never run stale. If
// it cannot build (esbuild missing, a read-only install), it runs scripts/cli.ts through tsx, as
// before the build existed; that is slower to start, never different.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildCli, cliEntry, isCliBuildFresh } from "./build-cli.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// lib/ finds the migrations and the data directory from here, whatever the working directory.
process.env.REGULARS_ROOT = root;

async function compiled() {
  if (isCliBuildFresh(root)) return true;
  // On failure esbuild stays silent here: tsx then reports the same problem against the sources.
  return buildCli({ root, logLevel: "silent" }).then(
    () => true,
    () => false,
  );
}

if (await compiled()) {
  await import(pathToFileURL(cliEntry(root)).href);
} else {
  const tsx = createRequire(import.meta.url).resolve("tsx/cli");
  const result = spawnSync(process.execPath, [tsx, path.join(root, "scripts/cli.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
