import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError, TooManyRequestsError, UnavailableError } from "@pledgewatch/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createDynamoHealthProbe } from "./health";
import { createDynamoStaffRepository } from "./staff-repository";

// These tests are about how the adapters translate AWS errors; the happy paths run against DynamoDB
// Local in test/integration.
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "ap-southeast-1" }));
const docMock = mockClient(doc);
const client = new DynamoDBClient({ region: "ap-southeast-1" });
const clientMock = mockClient(client);

const account = {
  id: "s-1",
  email: "a@example.vn",
  name: "A",
  agency: "CT" as const,
  province: "37",
  role: "viewer" as const,
  status: "active" as const,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

function awsError(name: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}

describe("DynamoDB adapters", () => {
  beforeEach(() => {
    docMock.reset();
    clientMock.reset();
  });

  it("claims a staff email with a condition, in the same transaction as the account", async () => {
    docMock.on(TransactWriteCommand).resolves({});
    await createDynamoStaffRepository(doc, "main").create(account);
    const [call] = docMock.commandCalls(TransactWriteCommand);
    const items = call?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[1]?.Put?.Item).toMatchObject({ pk: "STAFFEMAIL#a@example.vn", staffId: "s-1" });
    expect(items.every((i) => i.Put?.ConditionExpression === "attribute_not_exists(pk)")).toBe(true);
  });

  it("turns a cancelled transaction with a failed condition into a conflict", async () => {
    docMock.on(TransactWriteCommand).rejects(
      awsError("TransactionCanceledException", {
        CancellationReasons: [{ Code: "None" }, { Code: "ConditionalCheckFailed" }],
      }),
    );
    await expect(createDynamoStaffRepository(doc, "main").create(account)).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("turns throttling into a retryable error and anything else into 'unavailable', keeping the cause", async () => {
    docMock
      .on(TransactWriteCommand)
      .rejectsOnce(awsError("ThrottlingException"))
      .rejectsOnce(awsError("InternalServerError"));
    const repo = createDynamoStaffRepository(doc, "main");
    await expect(repo.create(account)).rejects.toBeInstanceOf(TooManyRequestsError);
    const error = await repo.create(account).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).cause).toMatchObject({ name: "InternalServerError" });
  });

  it("reports an unreachable or inactive table as unavailable", async () => {
    clientMock.on(DescribeTableCommand).rejectsOnce(awsError("ResourceNotFoundException"));
    clientMock.on(DescribeTableCommand).resolves({ Table: { TableStatus: "UPDATING" } });
    const probe = createDynamoHealthProbe(client, "main");
    await expect(probe.check()).rejects.toBeInstanceOf(UnavailableError);
    await expect(probe.check()).rejects.toThrow(/UPDATING/);
  });
});
