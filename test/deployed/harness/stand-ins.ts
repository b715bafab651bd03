import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { freePort, startDynamoLocal } from "@pledgewatch/local";
import sesModule from "aws-ses-v2-local";
import { buildApp } from "fauxqs";
import { type CloudAssembly, type PhysicalResources, resolveValue } from "./assembly";
import { startS3PostFront } from "./s3-post-front";

/** aws-ses-v2-local is CommonJS: its default export arrives as the function or wrapped once, by loader. */
const sesServer: typeof sesModule =
  typeof sesModule === "function"
    ? sesModule
    : (sesModule as unknown as { default: typeof sesModule }).default;

export const REGION = "ap-southeast-1";
export const ACCOUNT = "123456789012";
/** Credentials of the stand-ins: none of them checks signatures, but the SDK signs every call. */
/** CloudFormation's pseudo parameters as the harness's account and region have them. */
export const PSEUDO_PARAMETERS: Record<string, string> = {
  "AWS::Region": REGION,
  "AWS::AccountId": ACCOUNT,
  "AWS::Partition": "aws",
  "AWS::URLSuffix": "amazonaws.com",
};
export const CREDENTIALS = { accessKeyId: "AKIDPLEDGEWATCHHARNESS", secretAccessKey: "harness-secret" };

export interface StandIns {
  /** AWS_ENDPOINT_URL_* of each service, as a function's environment gets them. */
  endpoints: Record<string, string>;
  physical: PhysicalResources;
  /** The SQS and S3 endpoint (fauxqs). */
  fauxqs: string;
  /** The S3 endpoint the functions get: fauxqs behind a front that takes browser form uploads. */
  s3: string;
  stop(): Promise<void>;
}

/**
 * A small Secrets Manager: GetSecretValue (what the functions call) and PutSecretValue (what the operator
 * runs to store the sealing certificate, README "Deploying to AWS"). No stand-in on npm serves it. A secret
 * is named by its ARN or by its name, as Secrets Manager accepts either.
 */
/** The suffix Secrets Manager adds to a secret's name in its ARN (six random characters; fixed here). */
const SECRET_ARN_SUFFIX = "-AbCdEf";

async function startSecretsManager(secrets: Map<string, string>): Promise<Server> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(json));
      };
      const { SecretId, SecretString } = JSON.parse(body || "{}") as {
        SecretId?: string;
        SecretString?: string;
      };
      const arn = [...secrets.keys()].find(
        (key) => key === SecretId || (SecretId && key.endsWith(`:secret:${SecretId}${SECRET_ARN_SUFFIX}`)),
      );
      if (!arn) {
        return answer(400, {
          __type: "ResourceNotFoundException",
          message: "Secrets Manager can't find the specified secret.",
        });
      }
      const name = arn.slice(arn.indexOf(":secret:") + ":secret:".length, -SECRET_ARN_SUFFIX.length);
      if (target === "secretsmanager.PutSecretValue") {
        if (typeof SecretString !== "string" || SecretString.length === 0) {
          return answer(400, { __type: "InvalidParameterException", message: "SecretString is required." });
        }
        secrets.set(arn, SecretString);
        return answer(200, { ARN: arn, Name: name, VersionId: randomBytes(8).toString("hex") });
      }
      if (target !== "secretsmanager.GetSecretValue") {
        return answer(400, { __type: "UnsupportedOperation", message: `${target} is not served here` });
      }
      answer(200, { ARN: arn, Name: name, SecretString: secrets.get(arn), VersionId: "v1", CreatedDate: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

async function startCognitoLocal(): Promise<{ child: ChildProcess; endpoint: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "pledgewatch-cognito-"));
  const port = await freePort();
  const child = fork(fileURLToPath(new URL("./cognito-child.cjs", import.meta.url)), [], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) =>
      reject(new Error(`cognito-local exited (${code}) during start:\n${errors}`)),
    );
  });
  return { child, endpoint: `http://127.0.0.1:${port}`, dir };
}

/**
 * Starts every AWS service the functions call, as local stand-ins from npm, and creates the stateful
 * stack's resources in them from its template: the table with its keys and indexes, the queues with their
 * redrive policies, the buckets, the user pool with its groups and client, the secret.
 */
export async function startStandIns(assembly: CloudAssembly): Promise<StandIns> {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  // fauxqs's own start listens on every interface; its app is started here on loopback only, as
  // DynamoDB Local is (docs/decisions.md). Queue URLs read http://sqs.<region>.localhost:<port>/….
  const fauxqsApp = buildApp({ logger: false, host: "localhost", defaultRegion: REGION });
  const fauxqs = (await fauxqsApp.listen({ port: 0, host: "127.0.0.1" })).replace("localhost", "127.0.0.1");
  // S3's POST Object (presigned browser uploads) in front of fauxqs, which lacks it.
  const frontS3 = new S3Client({
    region: REGION,
    credentials: CREDENTIALS,
    endpoint: fauxqs,
    forcePathStyle: true,
  });
  const s3Front = await startS3PostFront({
    target: fauxqs,
    s3: frontS3,
    credentials: CREDENTIALS,
    region: REGION,
  });
  const sesPort = await freePort();
  const ses = await sesServer({ host: "127.0.0.1", port: sesPort });
  const secrets = new Map<string, string>();
  const secretsServer = await startSecretsManager(secrets);
  const cognito = await startCognitoLocal();
  const endpoints = {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: fauxqs,
    // An IP address as the endpoint: the SDK then addresses buckets by path, as fauxqs serves them.
    AWS_ENDPOINT_URL_S3: s3Front.url,
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${sesPort}`,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(secretsServer.address() as AddressInfo).port}`,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
  };
  const physical: PhysicalResources = new Map();
  const config = { region: REGION, credentials: CREDENTIALS };
  const ddb = new DynamoDBClient({ ...config, endpoint: dynamo.endpoint });
  const sqs = new SQSClient({ ...config, endpoint: fauxqs });
  const s3 = new S3Client({ ...config, endpoint: fauxqs, forcePathStyle: true });
  const idp = new CognitoIdentityProviderClient({ ...config, endpoint: cognito.endpoint });
  const suffix = randomBytes(4).toString("hex");

  for (const [stack, template] of Object.entries(assembly.templates)) {
    // Dead-letter queues before the queues whose redrive policy names them, the user pool before its
    // groups and clients; the rest in template order.
    const rank = (r: { Type: string; Properties?: Record<string, unknown> }) =>
      r.Type === "AWS::SQS::Queue"
        ? r.Properties?.RedrivePolicy
          ? 1
          : 0
        : r.Type === "AWS::Cognito::UserPool"
          ? 2
          : 3;
    const entries = Object.entries(template.Resources).sort(([, a], [, b]) => rank(a) - rank(b));
    for (const [id, resource] of entries) {
      const p = resource.Properties ?? {};
      const name = `${stack}-${id}-${suffix}`.slice(0, 80);
      switch (resource.Type) {
        case "AWS::DynamoDB::Table": {
          const tableName = typeof p.TableName === "string" ? p.TableName : name;
          await ddb.send(
            new CreateTableCommand({
              TableName: tableName,
              KeySchema: p.KeySchema as never,
              AttributeDefinitions: p.AttributeDefinitions as never,
              GlobalSecondaryIndexes: p.GlobalSecondaryIndexes as never,
              BillingMode: "PAY_PER_REQUEST",
            }),
          );
          physical.set(`${stack}/${id}`, {
            ref: tableName,
            attributes: { Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}` },
          });
          break;
        }
        case "AWS::SQS::Queue": {
          const attributes: Record<string, string> = {};
          if (p.VisibilityTimeout !== undefined) attributes.VisibilityTimeout = String(p.VisibilityTimeout);
          if (p.MessageRetentionPeriod !== undefined)
            attributes.MessageRetentionPeriod = String(p.MessageRetentionPeriod);
          const redrive = p.RedrivePolicy as
            | { deadLetterTargetArn: unknown; maxReceiveCount: number }
            | undefined;
          if (redrive) {
            attributes.RedrivePolicy = JSON.stringify({
              deadLetterTargetArn: resolveValue(
                assembly,
                stack,
                redrive.deadLetterTargetArn,
                physical,
                PSEUDO_PARAMETERS,
              ),
              maxReceiveCount: redrive.maxReceiveCount,
            });
          }
          const { QueueUrl } = await sqs.send(
            new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
          );
          const url = QueueUrl as string;
          const { Attributes } = await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
          );
          physical.set(`${stack}/${id}`, {
            ref: url,
            attributes: { Arn: Attributes?.QueueArn as string, QueueName: name, QueueUrl: url },
          });
          break;
        }
        case "AWS::S3::Bucket": {
          const bucket = name
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, "-")
            .slice(0, 63);
          await s3.send(new CreateBucketCommand({ Bucket: bucket }));
          physical.set(`${stack}/${id}`, { ref: bucket, attributes: { Arn: `arn:aws:s3:::${bucket}` } });
          break;
        }
        case "AWS::SecretsManager::Secret": {
          // CloudFormation names a secret `<logical id>-<random>`; CDK's secretName parses that from the ARN.
          const secretName = `${id}-${suffix.replaceAll("-", "")}`;
          const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${secretName}${SECRET_ARN_SUFFIX}`;
          // As GenerateSecretString makes it: a random string, which the functions refuse as a seal.
          secrets.set(arn, randomBytes(24).toString("base64url"));
          physical.set(`${stack}/${id}`, { ref: arn, attributes: {} });
          break;
        }
        case "AWS::SES::ConfigurationSet":
          physical.set(`${stack}/${id}`, { ref: name, attributes: {} });
          break;
        case "AWS::Cognito::UserPool": {
          const out = await idp.send(
            new CreateUserPoolCommand({
              PoolName: name,
              UsernameAttributes: p.UsernameAttributes as never,
              MfaConfiguration: p.MfaConfiguration as never,
              Schema: p.Schema as never,
            }),
          );
          const poolId = out.UserPool?.Id as string;
          physical.set(`${stack}/${id}`, { ref: poolId, attributes: { Arn: out.UserPool?.Arn ?? "" } });
          break;
        }
        case "AWS::Cognito::UserPoolGroup": {
          const UserPoolId = resolveValue(assembly, stack, p.UserPoolId, physical, PSEUDO_PARAMETERS);
          await idp.send(
            new CreateGroupCommand({
              UserPoolId,
              GroupName: String(p.GroupName),
              Precedence: p.Precedence as number,
            }),
          );
          physical.set(`${stack}/${id}`, { ref: String(p.GroupName), attributes: {} });
          break;
        }
        case "AWS::Cognito::UserPoolClient": {
          const UserPoolId = resolveValue(assembly, stack, p.UserPoolId, physical, PSEUDO_PARAMETERS);
          const out = await idp.send(
            new CreateUserPoolClientCommand({
              UserPoolId,
              ClientName: name,
              ExplicitAuthFlows: p.ExplicitAuthFlows as never,
              GenerateSecret: Boolean(p.GenerateSecret),
            }),
          );
          physical.set(`${stack}/${id}`, { ref: out.UserPoolClient?.ClientId as string, attributes: {} });
          break;
        }
        default:
          break;
      }
    }
  }
  for (const client of [ddb, idp, sqs, s3]) client.destroy();

  return {
    endpoints,
    physical,
    fauxqs,
    s3: s3Front.url,
    async stop() {
      await s3Front.stop();
      frontS3.destroy();
      cognito.child.kill("SIGTERM");
      await new Promise<void>((resolve) => secretsServer.close(() => resolve()));
      await new Promise<void>((resolve) => ses.close(() => resolve()));
      await fauxqsApp.close();
      await dynamo.stop();
      rmSync(cognito.dir, { recursive: true, force: true });
    },
  };
}
