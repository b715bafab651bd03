import { randomUUID } from "node:crypto";
import type { DynamoClients } from "@pledgewatch/aws/dynamo";
import {
  createDynamoHostGate,
  createDynamoMonitoringRepository,
} from "@pledgewatch/aws/monitoring-repository";
import {
  CAPTURE_TASK,
  type Clock,
  createMonitoringService,
  createTaskDispatcher,
  DEFAULT_MONITORING_LIMITS,
  type DISPATCH_TASK,
  type DocumentStore,
  EVIDENCE_PREFIX,
  InvalidError,
  type Logger,
  type MonitoringLimits,
  monitoringTasks,
  type PageRenderer,
  systemClock,
  type Task,
  type TaskQueue,
} from "@pledgewatch/core";
import { lazyCaptureCertificateRenderer } from "@pledgewatch/documents/lazy";

/** The tasks a monitoring worker function runs: the capture worker one, the dispatcher the other. */
export type MonitoringWorkerTask = typeof CAPTURE_TASK | typeof DISPATCH_TASK;

export interface MonitoringWorkerSettings {
  dynamo: DynamoClients;
  /** The monitoring table: targets, capture jobs, captures, items, host politeness. Its only table. */
  monitoringTableName: string;
  /** The jobs queue: what a capture leads to (evaluations, a tip's next step). The capture worker's. */
  tasks?: TaskQueue | undefined;
  /** The capture queue: the dispatcher's jobs. The dispatcher's. */
  captureTasks?: TaskQueue | undefined;
  /** The documents store; only its evidence/ prefix is used (and granted). Absent for the dispatcher. */
  documents?: DocumentStore | undefined;
  renderer?: PageRenderer | undefined;
  bundleDir?: string | undefined;
  logger: Logger;
  workerId: string;
  clock?: Clock | undefined;
  limits?: Partial<MonitoringLimits> | undefined;
}

/** A part of the platform this function does not have: calling it is a bug, said as one. */
function absent(what: string): never {
  throw new Error(`${what} is not part of a monitoring worker`);
}

/**
 * The documents store as a capture worker sees it: evidence/ only. Its role may write nowhere else, and
 * this says so before S3 does.
 */
export function evidenceOnly(store: DocumentStore | undefined): DocumentStore {
  const check = (key: string) => {
    if (!store) absent("the documents store");
    if (!key.startsWith(EVIDENCE_PREFIX) || key.split("/").includes(".."))
      throw new Error(`a monitoring worker keeps evidence only (${key})`);
    return store;
  };
  return {
    put: async (key, body, contentType) => check(key).put(key, body, contentType),
    get: async (key) => check(key).get(key),
  };
}

/**
 * What the capture worker and the capture dispatcher build (functions/capture.ts, functions/dispatch.ts):
 * the monitoring service alone, on the monitoring table, the documents store's evidence/ prefix and the two
 * queues, running only the task of its function. No staff, sessions, parties, pledges, signing, audit,
 * mail or sealing secret: a renderer exploit from a hostile page finds none of them, in the code as in the
 * function's role (infra/lib/platform.ts, bindMonitoringWorker).
 */
export function createMonitoringWorker(settings: MonitoringWorkerSettings, runs: MonitoringWorkerTask) {
  const clock = settings.clock ?? systemClock;
  const limits = { ...DEFAULT_MONITORING_LIMITS, ...settings.limits };
  const { doc } = settings.dynamo;
  const monitoring = createMonitoringService({
    repository: createDynamoMonitoringRepository(doc, settings.monitoringTableName),
    hostGate: createDynamoHostGate(doc, settings.monitoringTableName, {
      concurrency: limits.hostConcurrency,
      minIntervalMs: limits.hostMinIntervalMs,
    }),
    renderer: settings.renderer,
    evidence: evidenceOnly(settings.documents),
    tasks: {
      async enqueue(task) {
        const queue = task.type === CAPTURE_TASK ? settings.captureTasks : settings.tasks;
        if (!queue) absent(`a queue for ${task.type} tasks`);
        await queue.enqueue(task);
      },
    },
    // Items are evaluated by the jobs function, targets' parties checked by the API.
    evaluator: { evaluate: async () => absent("evaluation") },
    parties: { get: async () => absent("the party registry") },
    certificate: lazyCaptureCertificateRenderer({ bundleDir: settings.bundleDir }),
    clock,
    newId: randomUUID,
    workerId: settings.workerId,
    limits,
  });
  const dispatcher = createTaskDispatcher(
    monitoringTasks(monitoring, settings.logger).filter((task) => task.type === runs),
  );
  return {
    /** Runs the function's one task; any other type is refused (a message put on the wrong queue). */
    async handleTask(task: Task): Promise<void> {
      if (task.type !== runs)
        throw new InvalidError(`This function runs ${runs} tasks only, not ${task.type}`, [
          { field: "type", message: `${task.type} is not run here` },
        ]);
      await dispatcher.handle(task);
    },
  };
}
