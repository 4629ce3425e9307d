#!/usr/bin/env node
// The `regulars` command: runs scripts/cli.ts with tsx from this project, wherever it is called.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx/cli");
const result = spawnSync(process.execPath, [tsx, path.join(root, "scripts/cli.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, REGULARS_ROOT: root },
});
process.exit(result.status ?? 1);
