import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../lib/app";
import { grantTable } from "./grants";
import { removeTempDirs, testApp } from "./support";

/** Item actions on a table (the SDK's transactions are authorised per item action), and Query. */
const tableItems = (table: string, { describe = false } = {}) => [
  `dynamodb:BatchGetItem <${table}>`,
  `dynamodb:BatchWriteItem <${table}>`,
  `dynamodb:ConditionCheckItem <${table}>`,
  `dynamodb:DeleteItem <${table}>`,
  ...(describe ? [`dynamodb:DescribeTable <${table}>`] : []),
  `dynamodb:GetItem <${table}>`,
  `dynamodb:PutItem <${table}>`,
  `dynamodb:Query <${table}>`,
  `dynamodb:Query <${table}>/index/gsi1`,
  `dynamodb:Query <${table}>/index/gsi2`,
  `dynamodb:UpdateItem <${table}>`,
];
/** Its own log group, and X-Ray (active tracing; these two actions take no resource). */
const runtime = (fn: string) => [
  `logs:CreateLogStream <${fn}LogGroup>`,
  `logs:PutLogEvents <${fn}LogGroup>`,
  "xray:PutTelemetryRecords *",
  "xray:PutTraceSegments *",
];
const sends = (queue: string) => [
  `sqs:GetQueueAttributes <${queue}>`,
  `sqs:GetQueueUrl <${queue}>`,
  `sqs:SendMessage <${queue}>`,
];
const consumes = (queue: string) => [
  `sqs:ChangeMessageVisibility <${queue}>`,
  `sqs:DeleteMessage <${queue}>`,
  `sqs:GetQueueAttributes <${queue}>`,
  `sqs:GetQueueUrl <${queue}>`,
  `sqs:ReceiveMessage <${queue}>`,
];
const IF_ABSENT = 'if {"Null":{"s3:if-none-match":"false"}}';
/** The documents (read, create-only) and mail as the sender's domain: what pledges and reports need. */
const documentsAndMail = [
  "s3:GetObject <DocumentsBucket>/*",
  "s3:ListBucket <DocumentsBucket>",
  `s3:PutObject <DocumentsBucket>/* ${IF_ABSENT}`,
  "ses:SendEmail ses:configuration-set/<MailConfigurationSet>",
  "ses:SendEmail ses:identity/pledgewatch.example.gov.vn",
  "ses:SendRawEmail ses:configuration-set/<MailConfigurationSet>",
  "ses:SendRawEmail ses:identity/pledgewatch.example.gov.vn",
];
/** Sealing a pledge: the certificate, read by the API function alone (a pledge is signed in a request). */
const seal = [
  "secretsmanager:DescribeSecret <SealCredentialsSecret>",
  "secretsmanager:GetSecretValue <SealCredentialsSecret>",
];
const staffDirectory = [
  "cognito-idp:ListUsers <StaffUserPool>",
  "cognito-idp:ListUsersInGroup <StaffUserPool>",
];

/**
 * Every grant of every function, and nothing else (docs/decisions.md, "Least privilege per function"). A
 * new grant fails here until it is written down: say in the same change why the function needs it.
 */
const GRANTS: Record<string, string[]> = {
  "Pledgewatch API and console (Hono)": [
    ...tableItems("MainTable", { describe: true }),
    ...tableItems("MonitoringTable"),
    ...documentsAndMail,
    ...seal,
    // Sign-in (the admin flow, the only password flow), its challenges, the user's groups; the directory.
    "cognito-idp:AdminGetUser <StaffUserPool>",
    "cognito-idp:AdminInitiateAuth <StaffUserPool>",
    "cognito-idp:AdminListGroupsForUser <StaffUserPool>",
    "cognito-idp:AdminRespondToAuthChallenge <StaffUserPool>",
    ...staffDirectory,
    // Large files: uploads taken once, downloads handed out by link.
    "s3:DeleteObject <UploadsBucket>/uploads/*",
    "s3:GetObject <UploadsBucket>/downloads/*",
    "s3:GetObject <UploadsBucket>/uploads/*",
    "s3:ListBucket <UploadsBucket>",
    "s3:PutObject <UploadsBucket>/downloads/*",
    "s3:PutObject <UploadsBucket>/uploads/*",
    ...sends("JobsQueue"),
    ...sends("CaptureQueue"),
    // The console's dead-letter page: read, and re-drive (delete after sending back).
    ...consumes("JobsDeadLetterQueue"),
    ...consumes("CaptureDeadLetterQueue"),
    ...runtime("Api"),
  ],
  "Pledgewatch background tasks (jobs queue consumer)": [
    ...tableItems("MainTable"),
    ...tableItems("MonitoringTable"),
    // No sealing certificate: the signed copy it e-mails is the stored PDF.
    ...documentsAndMail,
    ...staffDirectory,
    ...consumes("JobsQueue"),
    ...sends("JobsQueue"),
    ...sends("CaptureQueue"),
    ...runtime("Jobs"),
  ],
  // Reads hostile pages: the monitoring table, evidence/ only, its queue in and the jobs queue out.
  "Pledgewatch capture worker (capture queue consumer, headless Chromium)": [
    ...tableItems("MonitoringTable"),
    "s3:GetObject <DocumentsBucket>/evidence/*",
    's3:ListBucket <DocumentsBucket> if {"StringLike":{"s3:prefix":["evidence/*"]}}',
    `s3:PutObject <DocumentsBucket>/evidence/* ${IF_ABSENT}`,
    ...consumes("CaptureQueue"),
    ...sends("JobsQueue"),
    ...runtime("Capture"),
  ],
  "Pledgewatch capture dispatcher (due targets → capture jobs)": [
    ...tableItems("MonitoringTable"),
    ...sends("CaptureQueue"),
    ...runtime("Dispatch"),
  ],
};

let table: Record<string, string[]>;

afterAll(removeTempDirs);

beforeAll(() => {
  const built = buildApp(testApp("grants", { bundling: false }));
  table = grantTable([built.stateful, built.api, built.workers, built.capture, built.operations]);
});

describe("the grants of every function", () => {
  it("are exactly the table: every function listed, no grant more or less", () => {
    const expected = Object.fromEntries(
      Object.entries(GRANTS).map(([fn, grants]) => [fn, [...new Set(grants)].sort()]),
    );
    expect(Object.keys(table).sort()).toEqual(Object.keys(expected).sort());
    for (const [fn, grants] of Object.entries(expected)) expect(table[fn], fn).toEqual(grants);
    console.info(
      `grant table: ${Object.entries(table)
        .map(([fn, grants]) => `${fn}: ${grants.length}`)
        .join("; ")}`,
    );
  });

  it("keep the capture worker and the dispatcher away from the main table, the seal, mail and the user pool", () => {
    for (const fn of Object.keys(table).filter((name) => /capture worker|dispatcher/.test(name))) {
      const reach = (table[fn] ?? []).filter((grant) =>
        /<MainTable>|SealCredentialsSecret|^ses:|^cognito-idp:|^secretsmanager:|dynamodb:Scan|<DocumentsBucket>\/\*/.test(
          grant,
        ),
      );
      expect(reach, fn).toEqual([]);
    }
  });

  it("give no function Scan, and no wildcard resource but X-Ray's", () => {
    for (const [fn, grants] of Object.entries(table)) {
      expect(
        grants.filter((g) => g.startsWith("dynamodb:Scan")),
        fn,
      ).toEqual([]);
      expect(
        grants.filter((g) => / \*$/.test(g) && !g.startsWith("xray:")),
        fn,
      ).toEqual([]);
    }
  });
});
