import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LocalSetupError } from "./dynamodb-local";

export interface LockContent {
  pid: number;
  javaPid?: number;
  /** DynamoDB Local's endpoint and the table, for commands run beside `npm start` (audit:verify). */
  endpoint?: string;
  tableName?: string;
}

/** The running `npm start` on a data folder, if any. */
export function readLock(dataDir: string): LockContent | undefined {
  try {
    const content = JSON.parse(readFileSync(join(dataDir, "pledgewatch.lock"), "utf8")) as LockContent;
    return alive(content.pid) ? content : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One `npm start` per data folder: DynamoDB Local's file is not safe to share. A lock left by a run that
 * was killed outright (SIGKILL) is detected by its dead pid, and an orphaned DynamoDB Local it names is
 * stopped before the new run starts.
 */
export function acquireLock(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "pledgewatch.lock");
  let previous: LockContent | undefined;
  try {
    previous = JSON.parse(readFileSync(path, "utf8")) as LockContent;
  } catch {
    previous = undefined;
  }
  if (previous && alive(previous.pid) && previous.pid !== process.pid) {
    throw new LocalSetupError(
      `Another Pledgewatch (pid ${previous.pid}) is using ${dataDir}: stop it first, or use PLEDGEWATCH_DATA_DIR=<other folder>.`,
    );
  }
  if (previous?.javaPid && alive(previous.javaPid)) {
    try {
      process.kill(previous.javaPid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  const content: LockContent = { pid: process.pid };
  writeFileSync(path, JSON.stringify(content));
  return {
    recordJava(javaPid: number) {
      content.javaPid = javaPid;
      writeFileSync(path, JSON.stringify(content));
    },
    recordEndpoint(endpoint: string, tableName: string) {
      content.endpoint = endpoint;
      content.tableName = tableName;
      writeFileSync(path, JSON.stringify(content));
    },
    release() {
      rmSync(path, { force: true });
    },
  };
}
