import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { Duration, Stack, type StackProps } from "aws-cdk-lib";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { Architecture } from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Construct } from "constructs";
import { type BundledFile, NodeFunction } from "./constructs/node-function";
import { documentFontBundleFiles } from "./fonts";
import { fromRoot } from "./paths";
import { bindMonitoringWorker } from "./platform";
import { checkVisibilityTimeout, type StatefulResources } from "./stateful-stack";

/**
 * Timeout of the capture function: one job per invocation, its pages within the lease that
 * packages/core gives a worker (DEFAULT_MONITORING_LIMITS.leaseMs, 5 minutes), and a page's own limit
 * of 45 s. The capture queue's visibility timeout must stay ≥ 6× this (checked at synth).
 */
export const CAPTURE_TIMEOUT = Duration.minutes(5);

/** One message per invocation; a few browsers at once, so the crawl stays polite and the table calm. */
export const CAPTURE_EVENT_SOURCE = { batchSize: 1, maxConcurrency: 4 } as const;

/** The dispatcher's tick. */
export const DISPATCH_SCHEDULE = Schedule.rate(Duration.minutes(1));

const requireFromCapture = createRequire(fromRoot("packages", "capture", "package.json"));

/** The folder of the package.json above a resolved entry point. */
function packageRoot(entry: string): string {
  let dir = dirname(entry);
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${entry}`);
    dir = parent;
  }
  return dir;
}

/** Every file under `dir`, for copyFiles. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * What the capture bundle carries besides the esbuild output:
 * - Chromium: the brotli-compressed binary, fonts and libraries of @sparticuz/chromium (x64 only in the
 *   npm package) at chromium/, unpacked to /tmp by executablePath(chromiumDir) on first use;
 * - playwright-core as a whole package at node_modules/playwright-core (left out of esbuild: it reads
 *   its own files at run time), which the ESM bundle imports by name from /var/task/node_modules.
 * In the bundle rather than a layer: an ES module cannot import a bare specifier from a layer's
 * /opt/nodejs (NODE_PATH applies to require only), and one artefact keeps the versions of the lock file.
 */
export function captureBundleFiles(): BundledFile[] {
  // Package roots from their entry points (neither exports its package.json).
  const chromiumBin = join(packageRoot(requireFromCapture.resolve("@sparticuz/chromium")), "bin");
  const playwrightDir = packageRoot(requireFromCapture.resolve("playwright-core"));
  return [
    ...filesUnder(chromiumBin).map((from) => ({
      from,
      to: `chromium/${relative(chromiumBin, from).split(sep).join("/")}`,
    })),
    ...filesUnder(playwrightDir).map((from) => ({
      from,
      to: `node_modules/playwright-core/${relative(playwrightDir, from).split(sep).join("/")}`,
    })),
  ];
}

export interface CaptureStackProps extends StackProps {
  resources: StatefulResources;
}

/**
 * Monitoring capture: the dispatcher (EventBridge every minute → Lambda), which turns due targets into
 * jobs on the capture queue, and the capture worker (capture queue → Lambda with Chromium), which renders
 * pages and stores their evidence. Failed messages go back to the queue, then to its dead-letter queue.
 */
export class CaptureStack extends Stack {
  readonly capture: NodeFunction;
  readonly dispatch: NodeFunction;

  constructor(scope: Construct, id: string, props: CaptureStackProps) {
    super(scope, id, props);
    const captureQueue = props.resources.queues.capture;
    checkVisibilityTimeout("capture", captureQueue, CAPTURE_TIMEOUT);

    this.capture = bindMonitoringWorker(
      new NodeFunction(this, "Capture", {
        entry: fromRoot("functions", "capture.ts"),
        description: "Pledgewatch capture worker (capture queue consumer, headless Chromium)",
        timeout: CAPTURE_TIMEOUT,
        // Chromium wants memory (and 2 GB gives the function more CPU); /tmp holds the unpacked browser.
        memorySize: 2048,
        ephemeralStorageMiB: 1024,
        // @sparticuz/chromium's npm package ships an x64 Chromium only.
        architecture: Architecture.X86_64,
        externalModules: ["playwright-core"],
        // Fonts: the capture certificate PDF (on-demand captures) is made here.
        copyFiles: [...captureBundleFiles(), ...documentFontBundleFiles()],
      }),
      props.resources,
      "capture",
    );
    this.capture.function.addEventSource(
      new SqsEventSource(captureQueue.queue, {
        batchSize: CAPTURE_EVENT_SOURCE.batchSize,
        maxConcurrency: CAPTURE_EVENT_SOURCE.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    this.dispatch = bindMonitoringWorker(
      new NodeFunction(this, "Dispatch", {
        entry: fromRoot("functions", "dispatch.ts"),
        description: "Pledgewatch capture dispatcher (due targets → capture jobs)",
        timeout: Duration.seconds(50),
      }),
      props.resources,
      "dispatch",
    );
    new Rule(this, "DispatchSchedule", {
      description: "Pledgewatch: run the capture dispatcher every minute",
      schedule: DISPATCH_SCHEDULE,
      targets: [new LambdaFunction(this.dispatch.function, { retryAttempts: 2 })],
    });
  }
}
