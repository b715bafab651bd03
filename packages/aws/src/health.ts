import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type HealthProbe, UnavailableError } from "@pledgewatch/core";
import { withDynamoErrors } from "./errors";

/** Healthy when the main table answers and is ACTIVE. */
export function createDynamoHealthProbe(db: DynamoDBClient, tableName: string): HealthProbe {
  return {
    async check() {
      const out = await withDynamoErrors("health", () =>
        db.send(new DescribeTableCommand({ TableName: tableName })),
      );
      if (out.Table?.TableStatus !== "ACTIVE") {
        throw new UnavailableError(`table ${tableName} is ${out.Table?.TableStatus ?? "missing"}`);
      }
    },
  };
}
