/** Ports shared by several use cases. Adapters live in packages/aws (DynamoDB) and packages/local. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Structured logs: a message and flat fields (Powertools on AWS, JSON lines locally). */
export interface Logger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface HealthProbe {
  /** Resolves when the dependency answers; rejects (with an AppError) when it does not. */
  check(): Promise<void>;
}

/** Work done later, once: an SQS message on AWS, an in-process queue with retries locally. */
export interface Task {
  type: string;
  payload: Record<string, unknown>;
}

export interface TaskQueue {
  enqueue(task: Task): Promise<void>;
}
