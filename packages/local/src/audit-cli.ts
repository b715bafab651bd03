import { join, resolve } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import {
  createDynamoClients,
  createDynamoSigningRepository,
  createS3DocumentStore,
  MAIN_TABLE,
} from "@pledgewatch/aws";
import { createDocumentAuditAnchors, type DocumentStore, verifyAuditChains } from "@pledgewatch/core";
import { createFolderDocumentStore } from "./documents";
import { startDynamoLocal } from "./dynamodb-local";
import { acquireLock, readLock } from "./lock";
import { freePort } from "./ports";
import { localTableName } from "./tables";

/**
 * `npm run audit:verify`: checks every pledge audit chain, holds it to its checkpoints outside the table,
 * and reports the first bad event of each. Against AWS: TABLE_NAME and DOCUMENTS_BUCKET (and AWS
 * credentials, AWS_REGION). Locally: the running `npm start` on the data folder, or DynamoDB Local started
 * on that folder for the check; the checkpoints are in its documents/ (DOCUMENTS_DIR overrides).
 */
async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const region = process.env.AWS_REGION ?? "ap-southeast-1";
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  let tableName = process.env.TABLE_NAME;
  const dataDir = resolve(process.env.PLEDGEWATCH_DATA_DIR ?? ".data");
  const documents: DocumentStore = process.env.DOCUMENTS_BUCKET
    ? createS3DocumentStore(new S3Client({ region }), process.env.DOCUMENTS_BUCKET)
    : createFolderDocumentStore(process.env.DOCUMENTS_DIR ?? join(dataDir, "documents"));
  let stop = async () => {};
  if (!tableName) {
    const running = readLock(dataDir);
    if (running?.endpoint && running.tableName) {
      endpoint = running.endpoint;
      tableName = running.tableName;
    } else {
      const lock = acquireLock(dataDir);
      const dynamo = await startDynamoLocal({ port: await freePort(), dbPath: dataDir });
      lock.recordJava(dynamo.pid);
      endpoint = dynamo.endpoint;
      tableName = localTableName("pledgewatch", MAIN_TABLE);
      stop = async () => {
        await dynamo.stop();
        lock.release();
      };
    }
  }
  try {
    const clients = createDynamoClients({ region, endpoint });
    const report = await verifyAuditChains(
      createDynamoSigningRepository(clients.doc, tableName),
      createDocumentAuditAnchors(documents),
    );
    clients.client.destroy();
    process.stdout.write(
      `Checked ${report.events} audit events in ${report.streams} chains (table ${tableName}).\n`,
    );
    if (report.unanchored > 0) {
      process.stdout.write(
        `${report.unanchored} events have no checkpoint outside the table (written before checkpoints, or a write cut short): their chains are checked in themselves only.\n`,
      );
    }
    if (report.breaks.length === 0) {
      process.stdout.write("All chains intact.\n");
      return 0;
    }
    for (const broken of report.breaks) {
      process.stdout.write(
        `BROKEN chain ${broken.stream}: first bad event #${broken.seq} (${broken.reason})\n`,
      );
    }
    return 2;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
