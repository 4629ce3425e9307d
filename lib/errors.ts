// The closed list of failures the domain can report. Entry points map codes to HTTP or exit codes
// in one place each (app/api/problem.ts, scripts/cli.ts); another shop's object is `not_found`.
export const errorCodes = {
  not_found: 404,
  forbidden: 403,
  unauthorized: 401,
  invalid_input: 400,
  invalid_signature: 401,
  conflict: 409,
  rate_limited: 429,
  no_consent: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  insufficient_storage: 507,
  database_unavailable: 503,
  database_locked: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];
  /** Seconds to wait before retrying, for rate_limited. */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: { fields?: FieldError[]; retryAfter?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fields = options.fields ?? [];
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export const isAppError = (e: unknown, code?: ErrorCode): e is AppError =>
  e instanceof AppError && (code === undefined || e.code === code);

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
