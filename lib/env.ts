// The environment, read once and validated, so a bad value fails with a sentence, not later.
import { z } from "zod";

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  PGLITE_DIR: z
    .string()
    .trim()
    .optional()
    .transform((dir) => dir || ".data/pglite"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  MAIL_FROM: z.string().default("Regulars <no-reply@localhost>"),
  /**
   * An SMS provider's HTTP endpoint (https://…; a POST of {to, body, idempotencyKey} as JSON, with
   * SMS_TOKEN as a bearer token). Without one, text messages are written under .data/outbox.
   */
  SMS_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\//, "SMS_URL must start with https:// (or http:// for a provider on this machine)")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SMS_TOKEN: z.string().optional(),
  APP_URL: z.string().url().default("http://localhost:3000"),
  /**
   * How many reverse proxies of the operator's own stand in front of the app. 0 (the default): the
   * client's address is the connection's, and X-Forwarded-For / X-Real-IP are ignored, as anyone
   * can write them. 1 or more: the address that many hops from the right of X-Forwarded-For (else
   * X-Real-IP) is the client's. Set it only when the app cannot be reached around the proxies.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const value = (v ?? "").toLowerCase();
      if (["", "0", "false", "no"].includes(value)) return 0;
      if (["true", "yes"].includes(value)) return 1;
      if (/^([1-9]|10)$/.test(value)) return Number(value);
      ctx.addIssue({ code: "custom", message: "TRUST_PROXY must be the number of your own proxies in front of Regulars: 0 (none), 1 (one reverse proxy), up to 10" });
      return z.NEVER;
    }),
  /** Megabytes of uploaded files a shop may keep waiting for import at once. */
  UPLOAD_QUOTA_MB: z.coerce.number("UPLOAD_QUOTA_MB must be a number of megabytes").int().min(1).max(1_000_000).default(2048),
  /**
   * Webhook deliveries a shop may send per minute before the answer is 429 (unset: 1,200, the
   * default in lib/webhooks/receive-event.ts). For an instance whose senders are known to burst
   * higher, and for `regulars bench webhook`, which measures the endpoint rather than the limit.
   */
  WEBHOOKS_PER_MINUTE: z.coerce.number("WEBHOOKS_PER_MINUTE must be a whole number of deliveries").int().min(1).max(10_000_000).optional(),
  /** Segments older than this are refreshed by the schedule; 0 turns the schedule off. */
  SEGMENT_REFRESH_HOURS: z.coerce.number("SEGMENT_REFRESH_HOURS must be a number of hours").min(0).max(24 * 30).default(24),
  /**
   * Run the sending worker inside the dashboard's own process. `regulars demo` sets it on the
   * embedded database, which a second process cannot open; with Postgres it starts `regulars worker`.
   */
  WORKER_IN_SERVER: z.enum(["", "0", "1"], "WORKER_IN_SERVER must be 1 or 0").optional().transform((v) => v === "1"),
});

export type Env = z.infer<typeof EnvSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Configuration error: ${first?.path.join(".")}: ${first?.message}`);
  }
  return parsed.data;
}
