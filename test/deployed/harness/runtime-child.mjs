// A Lambda execution environment in one process: it imports the function's bundle from its asset folder
// (the file Lambda loads, not the source), then runs one invocation at a time as the harness sends them.
// The init time (the bundle's import and its top-level code) is reported as Lambda reports Init Duration.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = process.env.LAMBDA_TASK_ROOT;
const [file, exported] = process.env._HANDLER.split(".");
const started = performance.now();
let handler;
try {
  const candidates = [`${file}.mjs`, `${file}.js`, `${file}.cjs`];
  const { existsSync } = await import("node:fs");
  const found = candidates.find((c) => existsSync(join(root, c)));
  const mod = await import(pathToFileURL(join(root, found ?? candidates[0])).href);
  handler = mod[exported];
  if (typeof handler !== "function") throw new Error(`${process.env._HANDLER} is not a function`);
  process.send({ type: "ready", initMs: performance.now() - started, rssBytes: process.memoryUsage().rss });
} catch (error) {
  process.send({ type: "init-error", error: String(error?.stack ?? error) });
  process.exit(1);
}

process.on("message", async ({ id, event, deadline, requestId }) => {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  const t0 = performance.now();
  try {
    const result = await handler(event, context);
    process.send({
      type: "result",
      id,
      result: result === undefined ? null : result,
      ms: performance.now() - t0,
    });
  } catch (error) {
    process.send({
      type: "error",
      id,
      error: { errorType: error?.name ?? "Error", errorMessage: String(error?.message ?? error) },
      ms: performance.now() - t0,
    });
  }
});
