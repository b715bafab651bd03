import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface DynamoOptions {
  region: string;
  /** DynamoDB Local's URL; absent on AWS. */
  endpoint?: string | undefined;
}

export interface DynamoClients {
  /** For table-level calls (DescribeTable, CreateTable). */
  client: DynamoDBClient;
  /** For item-level calls with plain JavaScript values. */
  doc: DynamoDBDocumentClient;
}

export function createDynamoClients({ region, endpoint }: DynamoOptions): DynamoClients {
  const config: DynamoDBClientConfig = { region };
  if (endpoint) {
    config.endpoint = endpoint;
    // DynamoDB Local accepts any credentials; fixed ones keep a developer's real AWS profile out of it.
    config.credentials = { accessKeyId: "local", secretAccessKey: "local" };
  }
  const client = new DynamoDBClient(config);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, doc };
}
