import { existsSync } from "node:fs";
import { isAbsolute, relative, sep } from "node:path";
import { Duration, RemovalPolicy, Size, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Grant, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import {
  type BundlingOptions,
  type ICommandHooks,
  NodejsFunction,
  OutputFormat,
} from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { LOCK_FILE, REPO_ROOT } from "../paths";

/**
 * The Node.js runtime of every function. The newest this aws-cdk-lib knows: cdk-nag's AwsSolutions-L1
 * fails any Node.js function that is not on the newest runtime in `Runtime.ALL`.
 */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;

/**
 * esbuild emits ESM; some dependencies are CommonJS and call `require` (for Node built-ins), which does
 * not exist in an ES module. Define it once at the top of the bundle (the import is aliased to stay clear of
 * the bundle's names; infra/test loads the bundle, which would fail on a clash).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __pledgewatchCreateRequire } from 'node:module'; const require = __pledgewatchCreateRequire(import.meta.url);";

/** A file copied into the bundle after esbuild ran (e.g. assets read at run time from LAMBDA_TASK_ROOT). */
export interface BundledFile {
  /** Absolute path of the source; must be inside the repository (the bundling input directory). */
  from: string;
  /** Path inside the bundle, relative to its root (= LAMBDA_TASK_ROOT), with `/` separators. */
  to: string;
}

export interface NodeFunctionProps {
  /** Entry file, absolute. */
  entry: string;
  /** @default "handler" */
  handler?: string;
  description?: string;
  environment?: Record<string, string>;
  /** @default 1024 */
  memorySize?: number;
  /** @default 10 seconds */
  timeout?: Duration;
  /** @default three months */
  logRetention?: RetentionDays;
  /** Files copied into the bundle next to the handler. */
  copyFiles?: BundledFile[];
  /** @default ARM_64 */
  architecture?: Architecture;
  /** Packages left out of the esbuild bundle (shipped with copyFiles under node_modules/ instead). */
  externalModules?: string[];
  /** /tmp size. @default 512 MiB */
  ephemeralStorageMiB?: number;
}

export type TableAccess = "read" | "readwrite";

export interface BindTableOptions {
  /** @default "TABLE_NAME" */
  envName?: string;
  /** @default "readwrite" */
  access?: TableAccess;
  /** Global secondary indexes the function queries. */
  indexes?: readonly string[];
  /** Also grant DescribeTable (the health check of packages/aws calls it). @default true */
  describeTable?: boolean;
}

/** Item-level actions; transactions and batches are authorized per item with these. */
export const TABLE_READ_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
];
/** Table-level: what the health check calls. */
export const TABLE_DESCRIBE_ACTIONS = ["dynamodb:DescribeTable"];
export const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];
/** No Scan, on the tables or their indexes: the app reads by key and by Query only. */
export const INDEX_READ_ACTIONS = ["dynamodb:Query"];
export type QueueAccess = "send" | "consume" | "send-consume";
export type BucketAccess = "read" | "write" | "readwrite";

/** Quote for a POSIX shell: the commands of the bundling hooks run in `bash -c`. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Copies the extra files after bundling, with paths relative to the input directory (local or Docker). */
class CopyFilesHooks implements ICommandHooks {
  constructor(private readonly files: readonly BundledFile[]) {}

  beforeBundling(): string[] {
    return [];
  }

  beforeInstall(): string[] {
    return [];
  }

  afterBundling(inputDir: string, outputDir: string): string[] {
    return this.files.flatMap(({ from, to }) => {
      const source = `${inputDir}/${relative(REPO_ROOT, from).split(sep).join("/")}`;
      const target = `${outputDir}/${to}`;
      const targetDir = target.slice(0, target.lastIndexOf("/"));
      return [`mkdir -p ${shellQuote(targetDir)}`, `cp ${shellQuote(source)} ${shellQuote(target)}`];
    });
  }
}

function checkCopyFiles(scope: Construct, files: readonly BundledFile[]): void {
  for (const { from, to } of files) {
    const rel = relative(REPO_ROOT, from);
    if (!isAbsolute(from) || rel.startsWith("..") || isAbsolute(rel)) {
      throw new Error(
        `${scope.node.path}: copyFiles source ${from} must be an absolute path inside ${REPO_ROOT}`,
      );
    }
    if (!existsSync(from)) throw new Error(`${scope.node.path}: copyFiles source ${from} does not exist`);
    if (to.startsWith("/") || to.split("/").includes("..")) {
      throw new Error(`${scope.node.path}: copyFiles target ${to} must be relative to the bundle root`);
    }
  }
}

/**
 * A Lambda function bundled from TypeScript with the project's defaults: newest Node.js runtime, ARM,
 * ESM, minified with source maps, X-Ray tracing, its own log group with a retention period and a role
 * that may write to that log group only (no AWSLambdaBasicExecutionRole, whose logs:* on all log groups
 * is more than a function needs). Resources are bound with the `bind*` helpers, which grant access and
 * pass the resource's name in an environment variable.
 */
export class NodeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const copyFiles = props.copyFiles ?? [];
    checkCopyFiles(this, copyFiles);

    this.logGroup = new LogGroup(this, "LogGroup", {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      // Kept when the stack goes: logs may be needed after a teardown; the retention still expires them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    const bundling: BundlingOptions = {
      format: OutputFormat.ESM,
      banner: ESM_REQUIRE_BANNER,
      // Prefer the ESM build of dependencies that ship both.
      mainFields: ["module", "main"],
      // Minified, with the source map as a file beside it (index.mjs.map): NODE_OPTIONS below maps stack
      // traces in the logs back to the sources.
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      // Vietnamese text (views, e-mails, messages) as UTF-8 rather than \u escapes: 6 % less code to load.
      // As an esbuild argument: this aws-cdk-lib accepts the `charset` property but does not pass it on.
      esbuildArgs: { "--charset": "utf8" },
      // Bundle the SDK at the versions in package-lock.json (the ones the tests ran against) instead of the
      // runtime's copy, which AWS updates on its own schedule.
      bundleAwsSDK: true,
      forceDockerBundling: false,
      ...(props.externalModules ? { externalModules: props.externalModules } : {}),
      commandHooks: copyFiles.length > 0 ? new CopyFilesHooks(copyFiles) : undefined,
    };

    this.function = new NodejsFunction(this, "Function", {
      entry: props.entry,
      handler: props.handler ?? "handler",
      description: props.description,
      runtime: NODE_RUNTIME,
      architecture: props.architecture ?? Architecture.ARM_64,
      ...(props.ephemeralStorageMiB
        ? { ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMiB) }
        : {}),
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      // Stack traces through the source maps of the minified bundle.
      environment: { NODE_OPTIONS: "--enable-source-maps", ...props.environment },
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      bundling,
    });
    Validations.of(this.role).acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
      reason:
        "Only the X-Ray statement that active tracing adds (xray:PutTraceSegments, xray:PutTelemetryRecords): these actions have no resource-level permissions, so the resource must be *. infra/test checks no other statement of these roles has a wildcard resource.",
    });
  }

  /**
   * Grants item access to a table and Query/Scan on the named indexes (listed, not `index/*`), plus
   * DescribeTable for health checks unless `describeTable: false`, and sets `envName` to the table's name.
   */
  bindTable(table: ITable, options: BindTableOptions = {}): this {
    const access = options.access ?? "readwrite";
    Grant.addToPrincipal({
      grantee: this.function,
      actions: [
        ...TABLE_READ_ACTIONS,
        ...(access === "readwrite" ? TABLE_WRITE_ACTIONS : []),
        ...(options.describeTable === false ? [] : TABLE_DESCRIBE_ACTIONS),
      ],
      resourceArns: [table.tableArn],
    });
    const indexes = options.indexes ?? [];
    if (indexes.length > 0) {
      Grant.addToPrincipal({
        grantee: this.function,
        actions: INDEX_READ_ACTIONS,
        resourceArns: indexes.map((name) => `${table.tableArn}/index/${name}`),
      });
    }
    this.function.addEnvironment(options.envName ?? "TABLE_NAME", table.tableName);
    return this;
  }

  /** Grants send and/or consume on a queue and sets `envName` to its URL. */
  bindQueue(queue: IQueue, envName: string, access: QueueAccess = "send"): this {
    if (access !== "consume") queue.grantSendMessages(this.function);
    if (access !== "send") queue.grantConsumeMessages(this.function);
    this.function.addEnvironment(envName, queue.queueUrl);
    return this;
  }

  /** Grants object access on a bucket and sets `envName` to its name. */
  bindBucket(bucket: IBucket, envName: string, access: BucketAccess = "read"): this {
    if (access === "read") bucket.grantRead(this.function);
    else if (access === "write") bucket.grantPut(this.function);
    else bucket.grantReadWrite(this.function);
    this.function.addEnvironment(envName, bucket.bucketName);
    return this;
  }
}
