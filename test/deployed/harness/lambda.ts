import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { DeployedFunction } from "./assembly";
import { CREDENTIALS, REGION } from "./stand-ins";

/** Lambda's limit on a synchronous invocation's request and response (API Gateway's events included). */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

export class LambdaLimitError extends Error {
  constructor(
    readonly code: "RequestEntityTooLarge" | "ResponseTooLarge" | "Timeout" | "Crashed",
    message: string,
  ) {
    super(message);
    this.name = "LambdaLimitError";
  }
}

export interface Invocation<T = unknown> {
  result: T;
  ms: number;
}

/** The Node major a Lambda runtime name runs ("nodejs24.x" → 24). */
export function runtimeNodeMajor(runtime: string): number {
  const match = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!match) throw new Error(`${runtime} is not a Node.js runtime`);
  return Number(match[1]);
}

/**
 * One execution environment of a function: a process that loaded the function's bundle with the
 * function's environment, and runs invocations one at a time under the function's timeout and Lambda's
 * payload limits. Its log lines (stdout and stderr) are kept for the test to read.
 */
export class LambdaEnvironment {
  private pending = new Map<string, { resolve: (v: Invocation) => void; reject: (e: Error) => void }>();
  private queue: Promise<unknown> = Promise.resolve();
  private exited = false;

  private constructor(
    readonly fn: DeployedFunction,
    readonly name: string,
    private readonly child: ChildProcess,
    readonly initMs: number,
    /** The process's resident memory once the bundle was imported. */
    readonly initRssBytes: number,
    /** The process's log lines (stdout and stderr), the last 5,000, from its start. */
    readonly logs: string[],
  ) {
    child.on(
      "message",
      (message: {
        type: string;
        id: string;
        result?: unknown;
        error?: { errorType: string; errorMessage: string };
        ms: number;
      }) => {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.type === "result") waiting.resolve({ result: message.result, ms: message.ms });
        else
          waiting.reject(
            Object.assign(new Error(message.error?.errorMessage), { name: message.error?.errorType }),
          );
      },
    );
    child.on("exit", (code, signal) => {
      this.exited = true;
      for (const waiting of this.pending.values()) {
        waiting.reject(
          new LambdaLimitError("Crashed", `${name} exited (${code ?? signal}) during an invocation`),
        );
      }
      this.pending.clear();
    });
  }

  /** Starts an execution environment (a cold start) of `fn` with its resolved environment. */
  static async start(
    fn: DeployedFunction,
    name: string,
    environment: Record<string, string>,
  ): Promise<LambdaEnvironment> {
    const major = runtimeNodeMajor(fn.runtime);
    const here = Number(process.versions.node.split(".")[0]);
    if (here !== major) {
      throw new Error(
        `${name} runs on ${fn.runtime}, and this is Node ${process.versions.node}: run the harness on Node ${major} (README "Quick start")`,
      );
    }
    const logs: string[] = [];
    const child = fork(fileURLToPath(new URL("./runtime-child.mjs", import.meta.url)), [], {
      cwd: fn.assetDir,
      execArgv: ["--import", fileURLToPath(new URL("./network.mjs", import.meta.url))],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // What Lambda sets, then the function's own variables, then the stand-ins' endpoints.
      env: {
        PATH: process.env.PATH,
        HOME: "/tmp",
        LANG: "en_US.UTF-8",
        TZ: ":UTC",
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_LOG_STREAM_NAME: `2026/12/07/[$LATEST]${randomUUID().replaceAll("-", "")}`,
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: "harness-session",
        LAMBDA_TASK_ROOT: fn.assetDir,
        _HANDLER: fn.handler,
        ...environment,
      },
    });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(line);
      if (logs.length > 5_000) logs.splice(0, logs.length - 5_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const ready = await new Promise<{ initMs: number; rssBytes: number }>((resolve, reject) => {
      child.once("message", (message: { type: string; initMs: number; rssBytes: number; error?: string }) => {
        if (message.type === "ready") resolve(message);
        else reject(new Error(`${name} failed to initialise: ${message.error}\n${logs.join("\n")}`));
      });
      child.once("exit", (code) =>
        reject(new Error(`${name} exited (${code}) during init:\n${logs.join("\n")}`)),
      );
    });
    const env = new LambdaEnvironment(fn, name, child, ready.initMs, ready.rssBytes, logs);
    return env;
  }

  /** Invokes the function synchronously (RequestResponse), as API Gateway and the SQS poller do. */
  invoke<T = unknown>(event: unknown, options: { timeoutMs?: number } = {}): Promise<Invocation<T>> {
    const run = async (): Promise<Invocation<T>> => {
      const payload = JSON.stringify(event);
      if (Buffer.byteLength(payload) > LAMBDA_PAYLOAD_LIMIT_BYTES) {
        throw new LambdaLimitError(
          "RequestEntityTooLarge",
          `request payload of ${Buffer.byteLength(payload)} bytes is over Lambda's 6 MB`,
        );
      }
      if (this.exited) throw new LambdaLimitError("Crashed", `${this.name} is not running`);
      const timeoutMs = Math.min(
        options.timeoutMs ?? Number.POSITIVE_INFINITY,
        this.fn.timeoutSeconds * 1000,
      );
      const id = randomUUID();
      const answer = new Promise<Invocation>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      this.child.send({ id, event, deadline: Date.now() + timeoutMs, requestId: id });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Lambda ends an environment whose invocation timed out.
          this.child.kill("SIGKILL");
          reject(new LambdaLimitError("Timeout", `${this.name} ran past ${timeoutMs} ms`));
        }, timeoutMs);
      });
      try {
        const out = await Promise.race([answer, timeout]);
        const size = Buffer.byteLength(JSON.stringify(out.result));
        if (size > LAMBDA_PAYLOAD_LIMIT_BYTES) {
          throw new LambdaLimitError(
            "ResponseTooLarge",
            `response payload of ${size} bytes is over Lambda's 6 MB`,
          );
        }
        return out as Invocation<T>;
      } finally {
        clearTimeout(timer);
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The process id of the execution environment (its children are what the function started). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    await gone;
  }
}
