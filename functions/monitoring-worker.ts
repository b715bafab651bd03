import { Logger } from "@aws-lambda-powertools/logger";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createDynamoClients } from "@pledgewatch/aws/dynamo";
import { createS3DocumentStore } from "@pledgewatch/aws/s3-document-store";
import { createSqsTaskQueue } from "@pledgewatch/aws/sqs-task-queue";
import { loadConfig, type PageRenderer } from "@pledgewatch/core";
import { createMonitoringWorker, type MonitoringWorkerTask } from "@pledgewatch/platform/monitoring-worker";
import { MonitoringWorkerConfigSchema } from "./api-config";

/**
 * The capture worker or the dispatcher from its environment (MonitoringWorkerConfigSchema), once per
 * execution environment: the monitoring service on the monitoring table and the two queues, evidence in
 * the documents bucket for the capture worker. It builds nothing else of the platform, so its bundle
 * carries nothing else and its role grants nothing else (infra/lib/platform.ts, bindMonitoringWorker).
 */
export function monitoringWorkerFromEnvironment(
  serviceName: string,
  runs: MonitoringWorkerTask,
  options: { renderer?: PageRenderer } = {},
) {
  const config = loadConfig(MonitoringWorkerConfigSchema, process.env);
  const logger = new Logger({ serviceName });
  const sqs = new SQSClient({ region: config.AWS_REGION });
  const worker = createMonitoringWorker(
    {
      dynamo: createDynamoClients({ region: config.AWS_REGION }),
      monitoringTableName: config.MONITORING_TABLE_NAME,
      tasks: config.JOBS_QUEUE_URL ? createSqsTaskQueue(sqs, config.JOBS_QUEUE_URL) : undefined,
      captureTasks: config.CAPTURE_QUEUE_URL ? createSqsTaskQueue(sqs, config.CAPTURE_QUEUE_URL) : undefined,
      documents: config.DOCUMENTS_BUCKET
        ? createS3DocumentStore(new S3Client({ region: config.AWS_REGION }), config.DOCUMENTS_BUCKET)
        : undefined,
      renderer: options.renderer,
      bundleDir: config.LAMBDA_TASK_ROOT,
      logger,
      workerId: `${serviceName}-${process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? process.pid}`,
    },
    runs,
  );
  return { worker, logger };
}
