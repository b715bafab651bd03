import { TABLES, type TableDefinition } from "@pledgewatch/aws/tables";
import { EVIDENCE_PREFIX, STAFF_ROLES } from "@pledgewatch/core";
import {
  CfnOutput,
  type CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from "aws-cdk-lib";
import {
  AccountRecovery,
  CfnUserPoolRiskConfigurationAttachment,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from "aws-cdk-lib/aws-cognito";
import {
  type Attribute,
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { ManagedPolicy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { type ISecret, Secret } from "aws-cdk-lib/aws-secretsmanager";
import {
  ConfigurationSet,
  EmailIdentity,
  type IConfigurationSet,
  Identity,
  SuppressionReasons,
} from "aws-cdk-lib/aws-ses";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import {
  COGNITO_TOKEN_VALIDITY,
  MAIL_IDENTITY_CONTEXT,
  mailDomain,
  resolveMailFrom,
  STAFF_SESSION_TTL,
} from "./platform";

/**
 * Staff groups, weakest first: the roles of packages/core, which maps a user's groups to a role.
 * Lower precedence wins in Cognito, so the strongest role gets 0.
 */
export const STAFF_GROUPS = STAFF_ROLES;

/** The platform's work queues; each gets a dead-letter queue. Consumers live in the stateless stacks. */
export const WORK_QUEUES = ["capture", "jobs"] as const;
export type WorkQueueName = (typeof WORK_QUEUES)[number];

/**
 * How long a received message stays hidden, per work queue. A Lambda consumer needs at least its own
 * timeout (Lambda refuses the event source mapping otherwise); AWS advises 6× the function timeout, so
 * that a batch held back while the function is throttled can still be retried before the message
 * reappears. The consumer's stack checks this against its function timeout (see `checkVisibilityTimeout`).
 */
export const WORK_QUEUE_VISIBILITY_TIMEOUT: Readonly<Record<WorkQueueName, Duration>> = {
  // 6× the 5-minute timeout of the capture function (capture-stack.ts).
  capture: Duration.minutes(30),
  // 6× the 5-minute timeout of the jobs function (workers-stack.ts).
  jobs: Duration.minutes(30),
};

/** AWS's advice for SQS event sources: visibility timeout ≥ 6× the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface WorkQueue {
  queue: Queue;
  deadLetterQueue: Queue;
  /** The queue's visibility timeout, for the consumer's stack to check against its function timeout. */
  visibilityTimeout: Duration;
}

/**
 * Throws unless `queue`'s visibility timeout is at least VISIBILITY_TIMEOUT_FACTOR × `functionTimeout`,
 * so a consumer whose timeout grows cannot be deployed against a queue that would redeliver its messages
 * while they are still being processed.
 */
export function checkVisibilityTimeout(name: string, queue: WorkQueue, functionTimeout: Duration): void {
  const needed = functionTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR;
  if (queue.visibilityTimeout.toSeconds() < needed) {
    throw new Error(
      `the ${name} queue's visibility timeout (${queue.visibilityTimeout.toSeconds()} s) must be at least ${VISIBILITY_TIMEOUT_FACTOR}× its consumer's timeout (${needed} s): raise it in WORK_QUEUE_VISIBILITY_TIMEOUT`,
    );
  }
}

/**
 * Default Object Lock retention of each document version in the documents bucket: 10 years (3,653 days,
 * leap days included). Governance mode: nobody deletes or overwrites a locked version, except a principal
 * granted s3:BypassGovernanceRetention who asks for it explicitly (no role of this app is).
 */
export const DOCUMENT_RETENTION = ObjectLockRetention.governance(Duration.days(3653));

/** What the functions may do with documents (DocumentsWriteOncePolicy): read, create, nothing else. */
export const DOCUMENT_OBJECT_ACTIONS = { read: ["s3:GetObject"], create: ["s3:PutObject"] } as const;
/** On the bucket itself: lets GetObject answer NoSuchKey for an absent key instead of AccessDenied. */
export const DOCUMENT_BUCKET_ACTIONS = ["s3:ListBucket"] as const;

/** What the stateless stacks get from the stateful one. */
export interface StatefulResources {
  /** One table per entry of TABLES, by its id. */
  tables: Readonly<Record<string, Table>>;
  /** The table of MAIN_TABLE. */
  mainTable: Table;
  /** The table of MONITORING_TABLE: all the capture worker and the dispatcher may touch. */
  monitoringTable: Table;
  documentsBucket: Bucket;
  /** Files uploaded straight from browsers and API clients (presigned POST), kept a day at most. */
  uploadsBucket: Bucket;
  /** What the API function needs of uploads/* to hand out upload forms and take each file once. */
  uploadsInboxPolicy: ManagedPolicy;
  /** Read and create-only access to the documents bucket, for the roles of functions that sign. */
  documentsWriteOncePolicy: ManagedPolicy;
  /** The same under evidence/ only: the capture worker's. */
  evidenceWriteOncePolicy: ManagedPolicy;
  queues: Readonly<Record<WorkQueueName, WorkQueue>>;
  userPool: UserPool;
  userPoolClient: UserPoolClient;
  /** The issuing authority's sealing certificate, stored by the operator. */
  sealCredentialsSecret: ISecret;
  /** The SES configuration set the platform's e-mail goes through. */
  mailConfigurationSet: IConfigurationSet;
}

function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join("");
}

function attribute(key: TableDefinition["partitionKey"]): Attribute {
  return { name: key.name, type: key.type === "S" ? AttributeType.STRING : AttributeType.NUMBER };
}

/** Construct id of the table for a TABLES entry (and so the start of its logical id). */
export function tableConstructId(definition: TableDefinition): string {
  return `${pascalCase(definition.id)}Table`;
}

/**
 * Everything that holds data and must outlive a deployment: tables, buckets, queues, the staff user
 * pool and the seal credentials secret (plus the SES configuration set the functions share). Deployed
 * rarely, retained on delete; the stateless stacks receive its resources as props.
 */
export class StatefulStack extends Stack implements StatefulResources {
  readonly tables: Readonly<Record<string, Table>>;
  readonly mainTable: Table;
  readonly monitoringTable: Table;
  readonly documentsBucket: Bucket;
  readonly uploadsBucket: Bucket;
  readonly uploadsInboxPolicy: ManagedPolicy;
  readonly documentsWriteOncePolicy: ManagedPolicy;
  readonly evidenceWriteOncePolicy: ManagedPolicy;
  readonly accessLogsBucket: Bucket;
  readonly queues: Readonly<Record<WorkQueueName, WorkQueue>>;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly sealCredentialsSecret: Secret;
  readonly mailConfigurationSet: ConfigurationSet;
  /** The sender domain's SES identity, when `pledgewatch:createMailIdentity` is "true". */
  readonly mailIdentity?: EmailIdentity;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // ---- DynamoDB: one table per definition in packages/aws/src/tables.ts -----------------------------
    const tables: Record<string, Table> = {};
    for (const definition of TABLES) {
      const table = new Table(this, tableConstructId(definition), {
        partitionKey: attribute(definition.partitionKey),
        sortKey: attribute(definition.sortKey),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        encryption: TableEncryption.AWS_MANAGED,
        timeToLiveAttribute: definition.timeToLiveAttribute,
      });
      for (const index of definition.globalSecondaryIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          sortKey: attribute(index.sortKey),
          projectionType: ProjectionType.ALL,
        });
      }
      tables[definition.id] = table;
    }
    const mainTable = tables.main;
    const monitoringTable = tables.monitoring;
    if (!mainTable || !monitoringTable) throw new Error("TABLES has no entry with id 'main' or 'monitoring'");
    this.tables = tables;
    this.mainTable = mainTable;
    this.monitoringTable = monitoringTable;

    // ---- S3: documents and evidence, with server access logs in a bucket of their own -------------------
    this.accessLogsBucket = new Bucket(this, "AccessLogsBucket", {
      // Server access log delivery supports SSE-S3 only on the target bucket.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Signed pledges are write-once: Object Lock (which needs versioning) keeps every version for
    // DOCUMENT_RETENTION, and the functions may only create objects (If-None-Match, see bindPlatform).
    this.documentsBucket = new Bucket(this, "DocumentsBucket", {
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: DOCUMENT_RETENTION,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: "documents/",
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });

    // Write-once access for the functions, defined next to the bucket (and attached to their roles by
    // bindPlatform): GetObject, ListBucket (an absent key then reads as NoSuchKey rather than AccessDenied)
    // and PutObject only with If-None-Match, so no function can replace a document even by mistake. No
    // delete, no retention or legal-hold change, none of grantRead's or grantPut's wildcard actions.
    const documentsBucketId = this.getLogicalId(this.documentsBucket.node.defaultChild as CfnResource);
    /** Read and create-only under `prefix` of the documents bucket, listing that prefix only ("": all). */
    const writeOncePolicy = (id: string, description: string, prefix: string, reason: string) => {
      const objects = this.documentsBucket.arnForObjects(`${prefix}*`);
      const policy = new ManagedPolicy(this, id, {
        description,
        statements: [
          new PolicyStatement({ actions: [...DOCUMENT_OBJECT_ACTIONS.read], resources: [objects] }),
          new PolicyStatement({
            actions: [...DOCUMENT_OBJECT_ACTIONS.create],
            resources: [objects],
            conditions: { Null: { "s3:if-none-match": "false" } },
          }),
          new PolicyStatement({
            actions: [...DOCUMENT_BUCKET_ACTIONS],
            resources: [this.documentsBucket.bucketArn],
            ...(prefix ? { conditions: { StringLike: { "s3:prefix": [`${prefix}*`] } } } : {}),
          }),
        ],
      });
      Validations.of(policy).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${documentsBucketId}.Arn>/${prefix}*]`,
        reason,
      });
      return policy;
    };
    this.documentsWriteOncePolicy = writeOncePolicy(
      "DocumentsWriteOncePolicy",
      "Pledgewatch functions: read and create (never replace or delete) documents",
      "",
      "Documents are keyed per pledge and created at run time, so object permissions name the documents bucket's objects (bucket ARN + /*), no other bucket. Only s3:GetObject and a PutObject that must carry If-None-Match; Object Lock keeps every version.",
    );
    // The capture worker's share of it: evidence/ only, read and create-only, listing only that prefix.
    // A renderer exploit in that function cannot read a signed pledge or write next to one.
    this.evidenceWriteOncePolicy = writeOncePolicy(
      "EvidenceWriteOncePolicy",
      "Pledgewatch capture worker: read and create (never replace or delete) evidence/ only",
      EVIDENCE_PREFIX,
      "Evidence is keyed per capture and created at run time, so object permissions name the documents bucket's evidence/ prefix, nothing else. Only s3:GetObject and a PutObject that must carry If-None-Match; Object Lock keeps every version.",
    );

    // Large uploads (a 15 MB import, a 20 MB PDF to verify) come here by presigned POST, not through the
    // API (Lambda takes 6 MB); the API function reads each once and deletes it, and what is left goes after
    // a day. Browsers post a form and are redirected back: no CORS is needed.
    this.uploadsBucket = new Bucket(this, "UploadsBucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: "uploads/",
      removalPolicy: RemovalPolicy.DESTROY,
      lifecycleRules: [
        { id: "expire-uploads", expiration: Duration.days(1) },
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    new CfnOutput(this, "UploadsBucketName", { value: this.uploadsBucket.bucketName });
    // A presigned POST is signed with the function's own credentials, so its role needs PutObject for the
    // policy to be honoured; GetObject and DeleteObject take the file once, ListBucket makes an absent key NoSuchKey. Nothing else, no wildcard action.
    const uploadObjects = this.uploadsBucket.arnForObjects("uploads/*");
    this.uploadsInboxPolicy = new ManagedPolicy(this, "UploadsInboxPolicy", {
      description:
        "Pledgewatch API: upload forms for uploads/* (each read and deleted once), download links for downloads/*",
      statements: [
        new PolicyStatement({
          actions: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
          resources: [uploadObjects],
        }),
        // Large downloads: a copy under downloads/, handed over by a presigned GET (signed by this role).
        new PolicyStatement({
          actions: ["s3:PutObject", "s3:GetObject"],
          resources: [this.uploadsBucket.arnForObjects("downloads/*")],
        }),
        // So that a key read twice (or never uploaded) answers NoSuchKey, not AccessDenied.
        new PolicyStatement({ actions: ["s3:ListBucket"], resources: [this.uploadsBucket.bucketArn] }),
      ],
    });
    const uploadsBucketId = this.getLogicalId(this.uploadsBucket.node.defaultChild as CfnResource);
    Validations.of(this.uploadsInboxPolicy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${uploadsBucketId}.Arn>/uploads/*]`,
      reason:
        "Each upload's key is random (uploads/<purpose>/<uuid>) and made at run time, so the permission names the uploads bucket's uploads/ prefix; three object actions, no wildcard action.",
    });
    Validations.of(this.uploadsInboxPolicy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${uploadsBucketId}.Arn>/downloads/*]`,
      reason:
        "Each large download's copy has a random key (downloads/<uuid>) made at run time, so the permission names the downloads/ prefix; PutObject and GetObject only.",
    });

    // ---- Pledge signing: the sealing certificate and the e-mail configuration set ----------------------
    this.sealCredentialsSecret = new Secret(this, "SealCredentialsSecret", {
      description:
        'Pledgewatch sealing certificate of the issuing authority. The operator stores JSON {"p12Base64": "<PKCS#12 bundle in base64>", "passphrase": "<its passphrase>"} here (see docs/decisions.md, "Signing on AWS"); the generated value is a placeholder that the functions refuse.',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.sealCredentialsSecret).acknowledge({
      id: "AwsSolutions::AwsSolutions-SMG4",
      reason:
        "The secret holds a certificate and its private key issued to the authority: a rotation Lambda cannot re-issue a certificate. Replacing it is an operator procedure (new certificate from the CA, then put-secret-value), documented in docs/decisions.md.",
    });

    // Reputation metrics and the account-level suppression of bounces and complaints for all platform mail.
    this.mailConfigurationSet = new ConfigurationSet(this, "MailConfigurationSet", {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // The sender's domain as an SES identity (Easy DKIM), when the context asks for it: the operator then
    // publishes the three DKIM CNAME records the stack outputs name (README "Deploying to AWS").
    if (
      this.node.tryGetContext(MAIL_IDENTITY_CONTEXT) === "true" ||
      this.node.tryGetContext(MAIL_IDENTITY_CONTEXT) === true
    ) {
      const domain = mailDomain(resolveMailFrom(this));
      this.mailIdentity = new EmailIdentity(this, "MailIdentity", {
        identity: Identity.domain(domain),
        configurationSet: this.mailConfigurationSet,
      });
      this.mailIdentity.dkimRecords.forEach((record, i) => {
        new CfnOutput(this, `MailDkimRecord${i + 1}`, { value: `${record.name} CNAME ${record.value}` });
      });
    }

    // ---- SQS: work queues, each with a dead-letter queue ----------------------------------------------
    const queues = {} as Record<WorkQueueName, WorkQueue>;
    for (const name of WORK_QUEUES) {
      const deadLetterQueue = new Queue(this, `${pascalCase(name)}DeadLetterQueue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      const visibilityTimeout = WORK_QUEUE_VISIBILITY_TIMEOUT[name];
      const queue = new Queue(this, `${pascalCase(name)}Queue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 },
      });
      queues[name] = { queue, deadLetterQueue, visibilityTimeout };
    }
    this.queues = queues;

    // ---- Cognito: staff user pool -----------------------------------------------------------------------
    this.userPool = new UserPool(this, "StaffUserPool", {
      // Accounts are created by an admin; the console has no sign-up page.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email takes effect only once verified (it is the sign-in name).
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      // Set by an admin (AdminUpdateUserAttributes); the app client below cannot write them.
      customAttributes: {
        agency: new StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
        province: new StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Authenticator apps (TOTP) only, no SMS. Optional in the pool, required by the app for leads and
      // admins (TOTP_REQUIRED_ROLES): the sign-in form enrols them on their first sign-in.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      // Plus tier for threat protection (compromised-credential checks, adaptive authentication).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: "AwsSolutions::AwsSolutions-COG2",
      reason:
        "MFA (TOTP) is optional in the pool and required by the app for leads and admins, who approve takedowns and manage staff: the console's sign-in enrols them on their first sign-in and asks their code on every one after. Viewers and reviewers may enrol. Threat protection (Plus tier) blocks compromised credentials and high-risk sign-ins for everyone.",
    });

    STAFF_GROUPS.forEach((groupName, rank) => {
      this.userPool.addGroup(`${pascalCase(groupName)}Group`, {
        groupName,
        description: `Pledgewatch staff role: ${groupName}`,
        precedence: STAFF_GROUPS.length - 1 - rank,
      });
    });

    this.userPoolClient = this.userPool.addClient("ConsoleClient", {
      // The console's server-side sign-in form calls AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH), a call
      // signed with the API function's role: the client has no password flow anyone else could call
      // around the app's sign-in limits.
      authFlows: { adminUserPassword: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // Cognito's session between a password and its challenge's answer: as long as the app's pending
      // sign-in (CHALLENGE_TTL_SECONDS).
      authSessionValidity: Duration.minutes(5),
      // No Cognito token outlives the app's session (STAFF_SESSION_TTL); the API's bearer tokens last 1 h.
      idTokenValidity: COGNITO_TOKEN_VALIDITY,
      accessTokenValidity: COGNITO_TOKEN_VALIDITY,
      refreshTokenValidity: STAFF_SESSION_TTL,
      // Users may edit their name and (re-verified) email, never their agency or province: those scope
      // what they can see. Custom attributes stay admin-only (AdminUpdateUserAttributes).
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    // Pool-wide risk responses of threat protection. The sign-in form does not forward UserContextData
    // yet, so Cognito scores the request as coming from the function: block only what is clearly bad.
    new CfnUserPoolRiskConfigurationAttachment(this, "StaffUserPoolRiskConfiguration", {
      userPoolId: this.userPool.userPoolId,
      clientId: "ALL",
      compromisedCredentialsRiskConfiguration: {
        eventFilter: ["SIGN_IN", "PASSWORD_CHANGE"],
        actions: { eventAction: "BLOCK" },
      },
      accountTakeoverRiskConfiguration: {
        actions: {
          lowAction: { eventAction: "NO_ACTION", notify: false },
          mediumAction: { eventAction: "NO_ACTION", notify: false },
          highAction: { eventAction: "BLOCK", notify: false },
        },
      },
    });

    new CfnOutput(this, "UserPoolId", { value: this.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, "MainTableName", { value: this.mainTable.tableName });
    new CfnOutput(this, "DocumentsBucketName", { value: this.documentsBucket.bucketName });
    new CfnOutput(this, "SealCredentialsSecretName", { value: this.sealCredentialsSecret.secretName });
    new CfnOutput(this, "MailConfigurationSetName", {
      value: this.mailConfigurationSet.configurationSetName,
    });
  }
}
