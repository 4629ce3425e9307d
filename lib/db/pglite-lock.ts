// PGlite is a single-process database: two processes on one data directory corrupt it. A lock
// file beside the directory records the holder's pid; a live holder is named in the error, a
// dead one (crash, kill -9) is taken over.
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function describeProcess(pid: number): string {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    return cmd ? `process ${pid} (${cmd.slice(0, 120)})` : `process ${pid}`;
  } catch {
    return `process ${pid}`;
  }
}

export interface DirLock {
  release(): void;
}

export function lockDataDir(dir: string): DirLock {
  const lockPath = `${path.resolve(dir)}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      const release = () => {
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
        process.off("exit", release);
      };
      process.on("exit", release);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number.parseInt(fs.readFileSync(lockPath, "utf8"), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new AppError(
          "database_locked",
          `The data directory ${dir} is in use by ${describeProcess(holder)}. Stop it first, or set PGLITE_DIR to another directory.`,
        );
      }
      // A stale lock from a process that is gone (or our own from an earlier open): take it over.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new AppError("database_locked", `Could not lock the data directory ${dir}.`);
}
