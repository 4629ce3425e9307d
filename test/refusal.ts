/**
 * What the database answered to a statement it refused, or "allowed": the driver wraps the
 * database's own message (the one a test means to check) in a "Failed query" error.
 */
export function refusal(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => "allowed",
    (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
  );
}
