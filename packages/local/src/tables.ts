import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { TABLES, type TableDefinition, type TableNames } from "@pledgewatch/aws/tables";

/** Physical table name locally: `<prefix>-<id>`. On AWS the CDK app names the tables. */
export function localTableName(prefix: string, table: TableDefinition): string {
  return `${prefix}-${table.id}`;
}

/** Creates every table from the same definitions the CDK app uses. Existing tables are left as they are. */
export async function ensureTables(client: DynamoDBClient, prefix: string): Promise<TableNames> {
  const names: Record<string, string> = {};
  for (const table of TABLES) {
    const name = localTableName(prefix, table);
    names[table.id] = name;
    if (await tableExists(client, name)) continue;
    const attributes = new Map<string, "S" | "N">();
    for (const key of [
      table.partitionKey,
      table.sortKey,
      ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]) {
      attributes.set(key.name, key.type);
    }
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
          AttributeName,
          AttributeType,
        })),
        KeySchema: [
          { AttributeName: table.partitionKey.name, KeyType: "HASH" },
          { AttributeName: table.sortKey.name, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: "HASH" },
            { AttributeName: index.sortKey.name, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
    if (table.timeToLiveAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
        }),
      );
    }
  }
  const { main, monitoring } = names;
  if (!main || !monitoring) throw new Error("TABLES lacks the main or the monitoring table");
  return { main, monitoring };
}

async function tableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
