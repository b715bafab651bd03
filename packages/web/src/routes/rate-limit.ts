import { TooManyRequestsError } from "@pledgewatch/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { clientAddress } from "./auth";

/**
 * A fixed-window limit per client address for public pages (the address from API Gateway's context or the
 * socket, never a client header). Over the limit the request is refused with 429 and Retry-After.
 */
export function publicRateLimit(
  deps: Pick<WebDeps, "attempts" | "clock">,
  name: string,
  limit: number,
  windowSeconds: number,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const now = deps.clock.now();
    const count = await deps.attempts.hit(`public:${name}:${clientAddress(c)}`, windowSeconds, now);
    if (count > limit) refuse(name, now, windowSeconds);
    await next();
  };
}

/** Per-client limits on the staff API and console, counted in the table (shared by every instance). */
export interface ClientLimits {
  /** Requests to /api/ from one address per window, signed in or not (checked before any token). */
  perAddress: number;
  /** Requests to /api/ and /console/ by one staff account per window, whatever its address. */
  perAccount: number;
  windowSeconds: number;
}

export const DEFAULT_CLIENT_LIMITS: ClientLimits = { perAddress: 1200, perAccount: 600, windowSeconds: 60 };

/**
 * The window's count, or 0 when the counter cannot be read: the limits fail open (logged), so a counter
 * outage does not turn every request away; what the request then needs of the table fails on its own.
 */
async function counted(
  deps: Pick<WebDeps, "attempts" | "logger">,
  key: string,
  windowSeconds: number,
  now: Date,
): Promise<number> {
  try {
    return await deps.attempts.hit(key, windowSeconds, now);
  } catch (error) {
    deps.logger.warn("client limit not counted", {
      error: error instanceof Error ? error.message : String(error),
    });
    return 0;
  }
}

function refuse(name: string, now: Date, windowSeconds: number): never {
  const windowMs = windowSeconds * 1000;
  throw new TooManyRequestsError(
    `Too many requests to ${name}`,
    Math.ceil((windowMs - (now.getTime() % windowMs)) / 1000),
  );
}

/**
 * Before the caller is identified: one address may send so many API requests per window (a flood of
 * forged tokens costs a counter, not a token check). An office behind one address shares it, hence the
 * margin over the per-account limit.
 */
export function addressLimit(
  deps: Pick<WebDeps, "attempts" | "clock" | "logger">,
  limits: ClientLimits,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.req.path.startsWith("/api/")) return next();
    const now = deps.clock.now();
    const count = await counted(deps, `client:address:${clientAddress(c)}`, limits.windowSeconds, now);
    if (count > limits.perAddress) refuse("address", now, limits.windowSeconds);
    await next();
  };
}

/** Once identified: one staff account may send so many API and console requests per window. */
export function accountLimit(
  deps: Pick<WebDeps, "attempts" | "clock" | "logger">,
  limits: ClientLimits,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal");
    if (!principal || !/^\/(api|console)\//.test(c.req.path)) return next();
    const now = deps.clock.now();
    const count = await counted(deps, `client:account:${principal.staffId}`, limits.windowSeconds, now);
    if (count > limits.perAccount) refuse("account", now, limits.windowSeconds);
    await next();
  };
}
