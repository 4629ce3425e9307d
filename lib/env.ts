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
  APP_URL: z.string().url().default("http://localhost:3000"),
  /** Segments older than this are refreshed by the schedule; 0 turns the schedule off. */
  SEGMENT_REFRESH_HOURS: z.coerce.number("SEGMENT_REFRESH_HOURS must be a number of hours").min(0).max(24 * 30).default(24),
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
