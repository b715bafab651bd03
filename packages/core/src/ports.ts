/** Ports shared by several use cases. Adapters live in packages/aws (DynamoDB) and packages/local. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface HealthProbe {
  /** Resolves when the dependency answers; rejects (with an AppError) when it does not. */
  check(): Promise<void>;
}
