import { type KeyAttribute, TABLES } from "@pledgewatch/aws/tables";
import type { CfnResource } from "aws-cdk-lib";
import { Duration, type Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DOCUMENT_RETENTION,
  STAFF_GROUPS,
  StatefulStack,
  WORK_QUEUE_VISIBILITY_TIMEOUT,
  WORK_QUEUES,
} from "../lib/stateful-stack";
import { removeTempDirs, testApp } from "./support";

// The stateful stack alone: no function, so no bundling.
let stack: StatefulStack;
let template: Template;

afterAll(removeTempDirs);

beforeAll(() => {
  stack = new StatefulStack(testApp("stateful"), "Stateful");
  template = Template.fromStack(stack);
});

function logicalId(s: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return s.getLogicalId(construct.node.defaultChild as CfnResource);
}

/** The one resource of a type in the template. */
function onlyResource(type: string): { Properties: Record<string, unknown>; DeletionPolicy?: string } {
  const found = Object.values(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as { Properties: Record<string, unknown>; DeletionPolicy?: string };
}

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute) {
  return [
    { AttributeName: partitionKey.name, KeyType: "HASH" },
    { AttributeName: sortKey.name, KeyType: "RANGE" },
  ];
}

describe("DynamoDB tables (from packages/aws/src/tables.ts)", () => {
  it("declares exactly one table per TABLES entry", () => {
    template.resourceCountIs("AWS::DynamoDB::Table", TABLES.length);
    expect(Object.keys(stack.tables).sort()).toEqual(TABLES.map((t) => t.id).sort());
  });

  for (const definition of TABLES) {
    describe(`table ${definition.id}`, () => {
      const resource = () => {
        const table = stack.tables[definition.id];
        if (!table) throw new Error(`no table ${definition.id}`);
        const found = template.findResources("AWS::DynamoDB::Table")[logicalId(stack, table)];
        if (!found) throw new Error(`no resource for table ${definition.id}`);
        return found as {
          Properties: Record<string, unknown>;
          DeletionPolicy?: string;
          UpdateReplacePolicy?: string;
        };
      };

      it("has the keys, attribute types, GSIs and TTL of its definition", () => {
        const props = resource().Properties;
        expect(props.KeySchema).toEqual(keySchema(definition.partitionKey, definition.sortKey));

        const keyAttributes = [
          definition.partitionKey,
          definition.sortKey,
          ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
        ];
        const expectedDefinitions = [...new Map(keyAttributes.map((k) => [k.name, k])).values()].map((k) => ({
          AttributeName: k.name,
          AttributeType: k.type,
        }));
        expect(props.AttributeDefinitions).toEqual(expect.arrayContaining(expectedDefinitions));
        expect(props.AttributeDefinitions).toHaveLength(expectedDefinitions.length);

        const indexes = (props.GlobalSecondaryIndexes ?? []) as unknown[];
        expect(indexes).toHaveLength(definition.globalSecondaryIndexes.length);
        for (const index of definition.globalSecondaryIndexes) {
          expect(indexes).toContainEqual({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: "ALL" },
          });
        }

        if (definition.timeToLiveAttribute) {
          expect(props.TimeToLiveSpecification).toEqual({
            AttributeName: definition.timeToLiveAttribute,
            Enabled: true,
          });
        } else {
          expect(props.TimeToLiveSpecification).toBeUndefined();
        }
      });

      it("is on-demand, with PITR, deletion protection, AWS-managed encryption, retained", () => {
        const table = resource();
        expect(table.Properties).toMatchObject({
          BillingMode: "PAY_PER_REQUEST",
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          // SSE on without a key of ours: KMS with the AWS-managed key aws/dynamodb.
          SSESpecification: { SSEEnabled: true },
        });
        expect(table.Properties.SSESpecification).not.toHaveProperty("KMSMasterKeyId");
        expect(table.DeletionPolicy).toBe("Retain");
        expect(table.UpdateReplacePolicy).toBe("Retain");
      });
    });
  }
});

describe("documents bucket", () => {
  const documents = () => logicalId(stack, stack.documentsBucket);
  const accessLogs = () => logicalId(stack, stack.accessLogsBucket);

  it("is encrypted, versioned, private, logged to the access-log bucket and retained", () => {
    const bucket = template.findResources("AWS::S3::Bucket")[documents()];
    expect(bucket).toMatchObject({
      DeletionPolicy: "Retain",
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
        VersioningConfiguration: { Status: "Enabled" },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: accessLogs() } },
      },
    });
  });

  it("is write-once: Object Lock with a 10-year default retention in governance mode", () => {
    const bucket = template.findResources("AWS::S3::Bucket")[documents()];
    expect(bucket?.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: "Enabled",
        Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: DOCUMENT_RETENTION.duration.toDays() } },
      },
      // Object Lock needs versioning.
      VersioningConfiguration: { Status: "Enabled" },
    });
    expect(DOCUMENT_RETENTION.duration.toDays()).toBeGreaterThanOrEqual(3652);
    // Server access logs cannot go to a bucket with a default retention: the log bucket has none.
    expect(template.findResources("AWS::S3::Bucket")[accessLogs()]?.Properties).not.toHaveProperty(
      "ObjectLockConfiguration",
    );
  });

  it("its access policy for the functions reads and creates only (PutObject needs If-None-Match), never deletes", () => {
    const policies = template.findResources("AWS::IAM::ManagedPolicy");
    const policy = policies[logicalId(stack, stack.documentsWriteOncePolicy)];
    if (!policy) throw new Error("no DocumentsWriteOncePolicy");
    const document = policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] };
    const statements = document.Statement;
    const objects = { "Fn::Join": ["", [{ "Fn::GetAtt": [documents(), "Arn"] }, "/*"]] };
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: "Allow", Action: "s3:GetObject", Resource: objects },
        {
          Effect: "Allow",
          Action: "s3:PutObject",
          Resource: objects,
          Condition: { Null: { "s3:if-none-match": "false" } },
        },
        { Effect: "Allow", Action: "s3:ListBucket", Resource: { "Fn::GetAtt": [documents(), "Arn"] } },
      ]),
    );
    expect(statements).toHaveLength(3);
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.filter((a) => /Delete|Retention|LegalHold|Bypass|\*/.test(a))).toEqual([]);
  });

  it("has an uploads bucket for presigned POSTs: private, TLS-only, logged, each file gone after a day", () => {
    const uploads = logicalId(stack, stack.uploadsBucket);
    expect(template.findResources("AWS::S3::Bucket")[uploads]).toMatchObject({
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [expect.anything()] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { LogFilePrefix: "uploads/" },
        LifecycleConfiguration: {
          Rules: expect.arrayContaining([
            expect.objectContaining({ ExpirationInDays: 1, Status: "Enabled" }),
          ]),
        },
      },
    });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: uploads },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    // Its policy: three object actions on uploads/*, two on downloads/* (large downloads' copies) and
    // ListBucket (NoSuchKey for a key read twice).
    const policy =
      template.findResources("AWS::IAM::ManagedPolicy")[logicalId(stack, stack.uploadsInboxPolicy)];
    expect(policy?.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: "Allow",
        Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [uploads, "Arn"] }, "/uploads/*"]] },
      },
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [uploads, "Arn"] }, "/downloads/*"]] },
      },
      { Effect: "Allow", Action: "s3:ListBucket", Resource: { "Fn::GetAtt": [uploads, "Arn"] } },
    ]);
  });

  it("the log bucket is encrypted, private and retained too", () => {
    expect(template.findResources("AWS::S3::Bucket")[accessLogs()]).toMatchObject({
      DeletionPolicy: "Retain",
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [expect.anything()] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      },
    });
  });

  it("both buckets refuse requests without TLS", () => {
    for (const bucket of [documents(), accessLogs()]) {
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: bucket },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "s3:*",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  });
});

describe("pledge signing", () => {
  it("has a retained secret for the sealing certificate, described for the operator, never in the template", () => {
    const secrets = template.findResources("AWS::SecretsManager::Secret");
    const secret = secrets[logicalId(stack, stack.sealCredentialsSecret)];
    expect(secret).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    expect(secret?.Properties.Description).toMatch(/p12Base64.*passphrase/);
    // A generated placeholder: the operator puts the real value; nothing secret is in the template.
    expect(secret?.Properties).not.toHaveProperty("SecretString");
    expect(Object.keys(secrets)).toHaveLength(1);
    template.hasOutput("SealCredentialsSecretName", {});
  });

  it("has an SES configuration set with reputation metrics and bounce/complaint suppression", () => {
    template.hasResourceProperties("AWS::SES::ConfigurationSet", {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ["BOUNCE", "COMPLAINT"] },
    });
    template.hasOutput("MailConfigurationSetName", {});
  });
});

describe("work queues", () => {
  for (const name of WORK_QUEUES) {
    it(`${name}: redrives to its own dead-letter queue; both encrypted and TLS-only`, () => {
      const { queue, deadLetterQueue } = stack.queues[name];
      const queues = template.findResources("AWS::SQS::Queue");
      const dlqId = logicalId(stack, deadLetterQueue);
      const queueId = logicalId(stack, queue);

      expect(queues[queueId]?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] },
          maxReceiveCount: expect.any(Number),
        },
      });
      expect(queues[dlqId]?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: Duration.days(14).toSeconds(),
      });
      expect(queues[dlqId]?.Properties).not.toHaveProperty("RedrivePolicy");

      for (const id of [queueId, dlqId]) {
        template.hasResourceProperties("AWS::SQS::QueuePolicy", {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            ]),
          },
        });
      }
    });
  }

  it("each work queue has its visibility timeout from WORK_QUEUE_VISIBILITY_TIMEOUT", () => {
    const queues = template.findResources("AWS::SQS::Queue");
    for (const name of WORK_QUEUES) {
      const { queue, visibilityTimeout } = stack.queues[name];
      expect(visibilityTimeout).toBe(WORK_QUEUE_VISIBILITY_TIMEOUT[name]);
      expect(queues[logicalId(stack, queue)]?.Properties.VisibilityTimeout).toBe(
        visibilityTimeout.toSeconds(),
      );
    }
  });

  it("every queue is either a work queue with a DLQ or a DLQ", () => {
    template.resourceCountIs("AWS::SQS::Queue", WORK_QUEUES.length * 2);
  });
});

describe("staff user pool", () => {
  it("is admin-created, signs in with email, has a strong password policy and the custom attributes", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ["email"],
      Policies: {
        PasswordPolicy: {
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: "agency", AttributeDataType: "String", Mutable: true }),
        Match.objectLike({ Name: "province", AttributeDataType: "String", Mutable: true }),
      ]),
      UserPoolTier: "PLUS",
      UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
      DeletionProtection: "ACTIVE",
    });
    const pool = onlyResource("AWS::Cognito::UserPool");
    const policies = pool.Properties.Policies as { PasswordPolicy: { MinimumLength: number } };
    expect(policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(pool.DeletionPolicy).toBe("Retain");
  });

  it("offers authenticator apps (TOTP) and no SMS, optional in the pool (the app requires them of leads and admins)", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "OPTIONAL",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
    });
    // Cognito's session between the password and the challenge's answer lasts as the app's pending sign-in.
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", { AuthSessionValidity: 5 });
  });

  it("has the role groups", () => {
    template.resourceCountIs("AWS::Cognito::UserPoolGroup", STAFF_GROUPS.length);
    for (const group of ["viewer", "reviewer", "lead", "admin"]) {
      template.hasResourceProperties("AWS::Cognito::UserPoolGroup", { GroupName: group });
    }
  });

  it("has a client whose only password flow is the admin one (signed by the API's role), that cannot write agency or province", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      GenerateSecret: false,
    });
    const writable = onlyResource("AWS::Cognito::UserPoolClient").Properties.WriteAttributes as
      | string[]
      | undefined;
    // Without WriteAttributes Cognito lets the client write every standard attribute: list them.
    expect(writable).toBeDefined();
    expect(writable?.filter((name) => name.startsWith("custom:"))).toEqual([]);
  });

  it("threat protection blocks compromised credentials", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolRiskConfigurationAttachment", {
      ClientId: "ALL",
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "BLOCK" } },
    });
  });
});
