// Auth.js signs sessions with AUTH_SECRET. A self-hosted shop should not have to invent one: on
// first run a random secret is written to .env.local (git-ignored) and reused on every later run.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function ensureAuthSecret(root = process.cwd(), env: Record<string, string | undefined> = process.env): { created: boolean; file: string } {
  const file = path.join(root, ".env.local");
  if (env.AUTH_SECRET) return { created: false, file };
  const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const match = existing.match(/^AUTH_SECRET=(.+)$/m);
  if (match?.[1]) {
    env.AUTH_SECRET = match[1].trim().replace(/^"|"$/g, "");
    return { created: false, file };
  }
  const secret = randomBytes(32).toString("base64url");
  const prefix = existing && !existing.endsWith("\n") ? "\n" : "";
  fs.appendFileSync(file, `${prefix}# Generated on first run; keep it secret, keep it out of git.\nAUTH_SECRET=${secret}\n`, { mode: 0o600 });
  env.AUTH_SECRET = secret;
  return { created: true, file };
}
