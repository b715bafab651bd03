import type { Clock } from "./ports";

/**
 * A clock that can be moved, for local runs and tests: the renewal cycle (rollover, reminders,
 * escalations) is driven by dates, and nobody wants to wait a quarter to see it. Only the local
 * composition offers it; the AWS composition refuses one (see createPlatform).
 */
export interface TravelClock extends Clock {
  /** Milliseconds the clock runs ahead of (or behind) the real one. */
  offsetMs(): number;
  travelTo(instant: Date): void;
  reset(): void;
}

export function createTravelClock(base: Clock = { now: () => new Date() }): TravelClock {
  let offset = 0;
  return {
    now: () => new Date(base.now().getTime() + offset),
    offsetMs: () => offset,
    travelTo(instant) {
      if (Number.isNaN(instant.getTime())) throw new Error("travelTo: invalid date");
      offset = instant.getTime() - base.now().getTime();
    },
    reset() {
      offset = 0;
    },
  };
}
