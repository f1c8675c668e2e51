/**
 * @module http/single-flight
 * Public routes that look at the database or Redis (`/health`, `/api/v1/status`) must not let
 * any caller multiply those looks: with Redis, the status counts workers with `CLIENT LIST`, which
 * walks every client. Callers who ask while a look is in flight share its answer; the next caller
 * after it settles starts a fresh one, so an answer is never older than the request that asked.
 */
export function singleFlight<T>(look: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    if (!inFlight) {
      inFlight = look().finally(() => {
        inFlight = undefined;
      });
    }
    return inFlight;
  };
}
