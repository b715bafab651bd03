import { z } from "zod";

const flag = z
  .enum(["", "0", "1", "false", "true"])
  .default("")
  .transform((v) => v === "1" || v === "true");

/** Environment of `npm start`. Every variable is optional; the defaults give the demo platform. */
export const LocalConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Where DynamoDB Local keeps its file and the lock lives. */
  PLEDGEWATCH_DATA_DIR: z.string().min(1).default(".data"),
  /** A throwaway in-memory database (also `npm start -- --in-memory`). */
  PLEDGEWATCH_IN_MEMORY: flag,
  /** DynamoDB Local's port; a free one is picked when unset. */
  DYNAMODB_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** The demo marketplace's port; PORT + 1000 when unset. */
  DEMO_MARKET_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** Seconds between two ticks of the capture dispatcher (the EventBridge schedule on AWS). */
  CAPTURE_DISPATCH_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** `0` starts without the capture pipeline (no browser, no demo marketplace). */
  PLEDGEWATCH_CAPTURE: z
    .enum(["", "0", "1", "false", "true"])
    .default("")
    .transform((v) => v !== "0" && v !== "false"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(8 * 3600),
});
export type LocalConfig = z.infer<typeof LocalConfigSchema>;
