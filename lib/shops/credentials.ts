// Secrets a shop's other systems use. API keys are shown once and stored only as a SHA-256 (they
// are 256 random bits, so a fast hash is enough); webhook secrets follow Standard Webhooks' format.
import { createHash, randomBytes } from "node:crypto";

export function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = `rk_${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString("base64")}`;
