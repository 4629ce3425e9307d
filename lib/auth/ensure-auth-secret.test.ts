import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureAuthSecret } from "./ensure-auth-secret";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "regulars-secret-"));

describe("AUTH_SECRET on first run", () => {
  it("generates one into .env.local, then reuses it", () => {
    const dir = tmp();
    const env: Record<string, string | undefined> = {};
    expect(ensureAuthSecret(dir, env).created).toBe(true);
    const secret = env.AUTH_SECRET;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.readFileSync(path.join(dir, ".env.local"), "utf8")).toContain(`AUTH_SECRET=${secret}`);
    expect(fs.statSync(path.join(dir, ".env.local")).mode & 0o077).toBe(0);

    const again: Record<string, string | undefined> = {};
    expect(ensureAuthSecret(dir, again).created).toBe(false);
    expect(again.AUTH_SECRET).toBe(secret);
  });

  it("keeps other settings in .env.local and leaves a configured secret alone", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, ".env.local"), "SMTP_URL=smtp://localhost:2525");
    ensureAuthSecret(dir, {});
    expect(fs.readFileSync(path.join(dir, ".env.local"), "utf8")).toMatch(/^SMTP_URL=smtp:\/\/localhost:2525\n# Generated/);

    const configured = tmp();
    expect(ensureAuthSecret(configured, { AUTH_SECRET: "x".repeat(40) }).created).toBe(false);
    expect(fs.existsSync(path.join(configured, ".env.local"))).toBe(false);
  });

  it("is ignored by git", () => {
    expect(fs.readFileSync(path.resolve(".gitignore"), "utf8")).toMatch(/^\.env\.local$/m);
  });
});
