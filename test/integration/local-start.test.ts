import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@pledgewatch/local";
import { afterAll, describe, expect, it } from "vitest";
import { isLoopbackListener, listeningAddresses } from "../support/listening";

// `npm start` as a newcomer runs it: a real process, real DynamoDB Local on disk, Ctrl-C (SIGINT) to stop.
const MAIN = join(import.meta.dirname, "../../packages/local/src/main.ts");
const dataDir = mkdtempSync(join(tmpdir(), "pledgewatch-start-"));
/** Every process started here: one that outlives a failed test is stopped, so it cannot hold the lock. */
const started: ChildProcess[] = [];
afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      await new Promise((r) => child.once("exit", r));
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, PLEDGEWATCH_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

// A first start loads the demo data and signs five pledges; on this shared 2-core machine (load average
// around 9 with four builds) that has taken 66 s.
async function waitFor(check: () => boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runUntilReady(port: number) {
  const run = start({ PORT: String(port) });
  // A first start loads the demo data and starts Chromium's first capture: generous on a busy machine.
  await waitFor(() => run.output().includes("Press Ctrl-C to stop.") || run.child.exitCode !== null, 120_000);
  return run;
}

async function stop(run: { child: ChildProcess; exited: Promise<number | null> }) {
  run.child.kill("SIGINT");
  return run.exited;
}

describe("npm start", () => {
  it("serves /health, stops on Ctrl-C leaving no process or lock, and keeps the data for the next start", async () => {
    const port = await freePort();
    const first = await runUntilReady(port);
    expect(first.output()).toContain(`http://127.0.0.1:${port}/console`);
    expect(first.output()).toMatch(/Demo data\s+loaded: 10 staff, \d+ parties/);
    expect(first.output()).toContain("admin@demo.pledgewatch.vn");

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);

    const lock = JSON.parse(readFileSync(join(dataDir, "pledgewatch.lock"), "utf8")) as {
      pid: number;
      javaPid: number;
      endpoint: string;
    };
    expect(alive(lock.javaPid)).toBe(true);
    // DynamoDB Local accepts any credentials: it listens on the app's loopback address only.
    const dynamoListeners = listeningAddresses(Number(new URL(lock.endpoint).port));
    expect(dynamoListeners.length).toBeGreaterThan(0);
    expect(dynamoListeners.filter((a) => !isLoopbackListener(a))).toEqual([]);
    expect(await stop(first)).toBe(0);
    expect(alive(lock.javaPid)).toBe(false);
    expect(existsSync(join(dataDir, "pledgewatch.lock"))).toBe(false);

    const second = await runUntilReady(port);
    expect(second.output()).toContain("Demo data   already loaded");
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(await stop(second)).toBe(0);
  }, 300_000);

  it("explains a busy port in one line and exits", async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const run = start({ PORT: String(port) });
      expect(await run.exited).toBe(1);
      expect(run.output().trim()).toBe(
        `Port ${port} is already in use: stop the program using it, or start on another port with PORT=3001 npm start.`,
      );
    } finally {
      blocker.close();
    }
  });

  it("explains missing Java in one line and exits", async () => {
    const run = start({ PORT: String(await freePort()), PATH: "/nonexistent" });
    expect(await run.exited).toBe(1);
    const lines = run.output().trim().split("\n");
    expect(lines.at(-1)).toMatch(/^Java was not found: DynamoDB Local needs Java 17 or newer/);
    expect(existsSync(join(dataDir, "pledgewatch.lock"))).toBe(false);
  });

  it("names a bad environment variable", async () => {
    const run = start({ PORT: "not-a-port" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/Invalid configuration:\s+PORT:/);
  });
});
