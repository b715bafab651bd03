/**
 * A capture worker as its own process, for the test that kills it with SIGKILL in the middle of a batch
 * (test/e2e/capture-kill.test.ts). Same platform code as npm start and the capture Lambda; it takes
 * jobs through the dispatcher (sweep of open jobs) every half second and prints what it finishes.
 */
import { createDynamoClients } from "@pledgewatch/aws";
import { createCaptureWorker } from "./capture";

const env = process.env;
const clients = createDynamoClients({ region: "ap-southeast-1", endpoint: env.DYNAMO_ENDPOINT });
const worker = createCaptureWorker(
  {
    clients,
    tables: { main: env.TABLE_NAME ?? "", monitoring: env.MONITORING_TABLE_NAME ?? "" },
    market: { origin: env.MARKET_ORIGIN ?? "", url: env.MARKET_URL ?? "" },
    files: env.FILES_DIR ?? "",
  },
  {
    workerId: "child",
    limits: { leaseMs: Number(env.LEASE_MS ?? "3000"), hostConcurrency: 1, resendAfterMs: 500 },
  },
);
process.stdout.write("ready\n");
setInterval(() => void worker.dispatch().catch(() => {}), 500);
