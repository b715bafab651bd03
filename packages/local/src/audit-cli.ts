import { resolve } from "node:path";
import { createDynamoClients, createDynamoSigningRepository, MAIN_TABLE } from "@pledgewatch/aws";
import { verifyAuditChains } from "@pledgewatch/core";
import { startDynamoLocal } from "./dynamodb-local";
import { acquireLock, readLock } from "./lock";
import { freePort } from "./ports";
import { localTableName } from "./tables";

/**
 * `npm run audit:verify`: checks every pledge audit chain and reports the first broken link of each.
 * Against AWS: TABLE_NAME (and AWS credentials, AWS_REGION). Locally: the running `npm start` on the data
 * folder, or DynamoDB Local started on that folder for the check.
 */
async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const region = process.env.AWS_REGION ?? "ap-southeast-1";
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  let tableName = process.env.TABLE_NAME;
  let stop = async () => {};
  if (!tableName) {
    const dataDir = resolve(process.env.PLEDGEWATCH_DATA_DIR ?? ".data");
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
    const report = await verifyAuditChains(createDynamoSigningRepository(clients.doc, tableName));
    clients.client.destroy();
    process.stdout.write(
      `Checked ${report.events} audit events in ${report.streams} chains (table ${tableName}).\n`,
    );
    if (report.breaks.length === 0) {
      process.stdout.write("All chains intact.\n");
      return 0;
    }
    for (const broken of report.breaks) {
      process.stdout.write(
        `BROKEN chain ${broken.stream}: first broken link at #${broken.seq} (${broken.reason})\n`,
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
