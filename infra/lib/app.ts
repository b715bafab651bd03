import { App, Tags } from "aws-cdk-lib";
import { ApiStack } from "./api-stack";
import { CaptureStack } from "./capture-stack";
import { OperationsStack } from "./operations-stack";
import { StatefulStack } from "./stateful-stack";
import { WorkersStack } from "./workers-stack";

export interface PledgewatchApp {
  app: App;
  stateful: StatefulStack;
  api: ApiStack;
  workers: WorkersStack;
  capture: CaptureStack;
  operations: OperationsStack;
}

/**
 * Adds Pledgewatch's stacks to `app` (a new App when omitted). No synthesis and no validation plugins:
 * infra/bin/app.ts adds cdk-nag, tests add what they check.
 */
export function buildApp(app: App = new App()): PledgewatchApp {
  Tags.of(app).add("project", "pledgewatch");
  const stateful = new StatefulStack(app, "PledgewatchStateful", {
    description:
      "Pledgewatch data: DynamoDB tables, documents bucket, work queues, staff user pool, seal secret",
  });
  const api = new ApiStack(app, "PledgewatchApi", {
    description: "Pledgewatch HTTP API and its function",
    resources: stateful,
  });
  const workers = new WorkersStack(app, "PledgewatchWorkers", {
    description: "Pledgewatch background tasks: the jobs function and its SQS event source",
    resources: stateful,
  });
  const capture = new CaptureStack(app, "PledgewatchCapture", {
    description: "Pledgewatch monitoring capture: the dispatcher schedule and the Chromium capture worker",
    resources: stateful,
  });
  const operations = new OperationsStack(app, "PledgewatchOperations", {
    description: "Pledgewatch operations: the alarm topic, dead-letter and function alarms",
    resources: stateful,
    functions: { api: api.api, jobs: workers.jobs, capture: capture.capture, dispatch: capture.dispatch },
  });
  return { app, stateful, api, workers, capture, operations };
}
