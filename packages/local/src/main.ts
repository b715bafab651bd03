import { resolve } from "node:path";
import { loadConfig } from "@pledgewatch/core";
import { LocalConfigSchema } from "./config";
import { LocalSetupError } from "./dynamodb-local";
import { acquireLock } from "./lock";
import { createConsoleLogger } from "./logger";
import { NODE_REQUIREMENT, nodeMeetsRequirement } from "./node-version";
import { isPortFree } from "./ports";
import { DEMO_PASSWORD, DEMO_STAFF } from "./seed/demo-staff";
import { type LocalPlatform, startLocalPlatform } from "./server";

/** `npm start`: the whole platform on this machine with demo data. */
async function main(): Promise<void> {
  const config = loadConfig(LocalConfigSchema, process.env);
  const inMemory = config.PLEDGEWATCH_IN_MEMORY || process.argv.includes("--in-memory");
  const dataDir = resolve(config.PLEDGEWATCH_DATA_DIR);
  const logger = createConsoleLogger(config.LOG_LEVEL);

  if (!(await isPortFree(config.PORT, config.HOST))) {
    throw new LocalSetupError(
      `Port ${config.PORT} is already in use: stop the program using it, or start on another port with PORT=3001 npm start.`,
    );
  }
  if (config.DYNAMODB_PORT && !(await isPortFree(config.DYNAMODB_PORT))) {
    throw new LocalSetupError(
      `DYNAMODB_PORT ${config.DYNAMODB_PORT} is already in use: unset it to pick a free port.`,
    );
  }

  const demoMarketPort = config.DEMO_MARKET_PORT ?? config.PORT + 1000;
  if (config.PLEDGEWATCH_CAPTURE && !(await isPortFree(demoMarketPort, "127.0.0.1"))) {
    throw new LocalSetupError(
      `Port ${demoMarketPort} (the demo marketplace) is already in use: set DEMO_MARKET_PORT to a free port, or PLEDGEWATCH_CAPTURE=0 to start without capture.`,
    );
  }

  if (!nodeMeetsRequirement(process.versions.node)) {
    // Said once here in plain words instead of npm's EBADENGINE and the AWS SDK's multi-line warning.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    process.stdout.write(
      `Note: Node ${process.versions.node} is older than the dependencies require (${NODE_REQUIREMENT}); it may still run, but install Node 24 as README "Quick start" says.\n`,
    );
  }
  const lock = acquireLock(dataDir);
  let platform: LocalPlatform | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("\nStopping Pledgewatch…\n");
    try {
      await platform?.stop();
    } finally {
      lock.release();
      process.exit(code);
    }
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  process.on("SIGHUP", () => void shutdown(0));

  try {
    process.stdout.write(`Starting DynamoDB Local (${inMemory ? "in memory" : `data in ${dataDir}`})…\n`);
    platform = await startLocalPlatform({
      port: config.PORT,
      host: config.HOST,
      dbPath: inMemory ? undefined : dataDir,
      dynamoPort: config.DYNAMODB_PORT,
      sessionTtlSeconds: config.SESSION_TTL_SECONDS,
      logger,
      onDynamoStarted: (dynamo) => lock.recordJava(dynamo.pid),
      monitoring: config.PLEDGEWATCH_CAPTURE
        ? { demoMarketPort, dispatchSeconds: config.CAPTURE_DISPATCH_SECONDS }
        : undefined,
    });
  } catch (error) {
    lock.release();
    throw error;
  }

  lock.recordEndpoint(platform.dynamoEndpoint, platform.tableName);
  const { url, seed } = platform;
  const lines = [
    "",
    "Pledgewatch is running.",
    `  Console     ${url}/console`,
    `  Sign-in     ${url}/sign-in`,
    `  API docs    ${url}/api/docs`,
    `  Outbox      ${url}/console/outbox  (e-mail sent by the platform; admin account)`,
    `  Verify      ${url}/verify   Registry ${url}/registry`,
    `  Review      ${url}/console/cases  (case queues, evidence, decisions, takedowns; metrics at /console/review/metrics)`,
    `  Reports     ${url}/console/review/reports  (review reports: quarterly, monthly, weekly, quick case report)`,
    `  Tips        ${url}/tips  (the public form to report a page; tracking at /tips/track)`,
    platform.demoMarket
      ? `  Monitoring  ${url}/console/monitoring  (targets, captures with evidence, items; dead letters for admin)`
      : "  Monitoring  capture off (PLEDGEWATCH_CAPTURE=0)",
    platform.demoMarket
      ? `  Demo market ${platform.demoMarket.url}  (the demo marketplace the seeded targets watch)`
      : "",
    `  Health      ${url}/health`,
    `  DynamoDB    ${platform.dynamoEndpoint} (table ${platform.tableName})`,
    seed?.skipped
      ? "  Demo data   already loaded"
      : `  Demo data   loaded: ${seed?.staffCreated ?? 0} staff, ${seed?.partiesCreated ?? 0} parties`,
    platform.demoPledges > 0 ? `  Pledges     ${platform.demoPledges} demo pledges signed this quarter` : "",
    platform.demoCaptures > 0
      ? `  Flagging    ${platform.demoCaptures} demo captures evaluated: ${platform.url}/console/rules`
      : "",
    platform.demoTargets > 0
      ? `  Targets     ${platform.demoTargets} demo crawl targets created; first captures running`
      : "",
    "",
    `Demo staff accounts (password for all: ${DEMO_PASSWORD}), province Ninh Bình:`,
    ...DEMO_STAFF.map((s) => `  ${s.email.padEnd(36)} ${s.agency.padEnd(5)} ${s.role}`),
    "",
    "Press Ctrl-C to stop.",
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

main().catch((error: unknown) => {
  if (
    error instanceof LocalSetupError ||
    (error instanceof Error && error.message.startsWith("Invalid configuration"))
  ) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Pledgewatch could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
