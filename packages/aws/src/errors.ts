import { ConflictError, TooManyRequestsError, UnavailableError } from "@pledgewatch/core";

/** Translates AWS SDK errors into the application's errors. The original stays in `cause`, for logs only. */
export function translateDynamoError(error: unknown, what: string): Error {
  const name = error instanceof Error ? error.name : "";
  switch (name) {
    case "ConditionalCheckFailedException":
      return new ConflictError(`${what}: already exists or changed meanwhile`, { cause: error });
    case "TransactionCanceledException":
      return isConditionalCancel(error)
        ? new ConflictError(`${what}: already exists or changed meanwhile`, { cause: error })
        : new UnavailableError(`${what}: transaction cancelled`, { cause: error });
    case "ProvisionedThroughputExceededException":
    case "RequestLimitExceeded":
    case "ThrottlingException":
      return new TooManyRequestsError(`${what}: database is busy`, 1, { cause: error });
    default:
      return new UnavailableError(`${what}: database error`, { cause: error });
  }
}

function isConditionalCancel(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code === "ConditionalCheckFailed");
}

export async function withDynamoErrors<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateDynamoError(error, what);
  }
}
