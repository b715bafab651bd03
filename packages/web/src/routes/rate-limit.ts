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
    if (count > limit) {
      const windowMs = windowSeconds * 1000;
      throw new TooManyRequestsError(
        `Too many requests to ${name}`,
        Math.ceil((windowMs - (now.getTime() % windowMs)) / 1000),
      );
    }
    await next();
  };
}
