import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { type StaffAccount, StaffAccountSchema, type StaffRepository } from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";

const staffKey = (id: string) => ({ pk: `STAFF#${id}`, sk: "STAFF" });
const emailKey = (email: string) => ({ pk: `STAFFEMAIL#${email}`, sk: "STAFFEMAIL" });

function fromItem(item: Record<string, unknown> | undefined): StaffAccount | null {
  if (!item) return null;
  return StaffAccountSchema.parse(item.data);
}

export function createDynamoStaffRepository(db: DynamoDBDocumentClient, tableName: string): StaffRepository {
  return {
    async create(account) {
      // The account and its email claim are written together: two admins creating the same email race
      // on the claim's condition and exactly one wins.
      await withDynamoErrors("staff account", () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...staffKey(account.id),
                    gsi1pk: `STAFFSCOPE#${account.agency}#${account.province}`,
                    gsi1sk: account.email,
                    data: account,
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...emailKey(account.email), staffId: account.id },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
            ],
          }),
        ),
      );
    },

    async get(id) {
      const out = await withDynamoErrors("staff account", () =>
        db.send(new GetCommand({ TableName: tableName, Key: staffKey(id) })),
      );
      return fromItem(out.Item);
    },

    async findByEmail(email) {
      const claim = await withDynamoErrors("staff account", () =>
        db.send(new GetCommand({ TableName: tableName, Key: emailKey(email.toLowerCase()) })),
      );
      const staffId = claim.Item?.staffId;
      return typeof staffId === "string" ? this.get(staffId) : null;
    },

    async listByScope(agency, province) {
      const items: StaffAccount[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await withDynamoErrors("staff accounts", () =>
          db.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: "gsi1",
              KeyConditionExpression: "gsi1pk = :pk",
              ExpressionAttributeValues: { ":pk": `STAFFSCOPE#${agency}#${province}` },
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of out.Items ?? []) {
          const account = fromItem(item);
          if (account) items.push(account);
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return items;
    },
  };
}
