/** The longest wait a host's Retry-After may impose on a target before it is tried again. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * A host's `Retry-After` (RFC 9110: delay-seconds or an HTTP date) as a wait from `now`, in ms, within
 * [0, MAX_RETRY_AFTER_MS]; undefined when absent or unreadable (the caller's own backoff then applies).
 */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at) || !/[a-z]/i.test(value)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
