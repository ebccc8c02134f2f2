import {
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import type { TableActual } from "../plan/plan-types.ts";

/** One table as DynamoDB describes it, or undefined when it does not exist in that region. */
export async function readTable(
  client: DynamoDBClient,
  awsRegion: string,
  name: string,
): Promise<TableActual | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: name }));
    const table = out.Table;
    return {
      awsRegion,
      name,
      status: table?.TableStatus ?? "UNKNOWN",
      keySchema: table?.KeySchema ?? [],
      attributeDefinitions: table?.AttributeDefinitions ?? [],
    };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
