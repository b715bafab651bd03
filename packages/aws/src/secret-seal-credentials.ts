import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { type SealCredentials, UnavailableError } from "@pledgewatch/core";
import { z } from "zod";

/**
 * What the operator stores in the seal secret (infra: SealCredentialsSecret): the authority's PKCS#12
 * bundle in base64 (line breaks allowed, as `openssl base64` writes it) and its passphrase.
 */
export const SealSecretSchema = z.object({
  p12Base64: z
    .string()
    .transform((value) => value.replace(/\s+/g, ""))
    .pipe(z.base64().min(1, "must not be empty")),
  passphrase: z.string(),
});

/** Errors that retrying will not fix: the secret is missing, unreadable or not ours to read. */
const SETUP_ERRORS = new Set([
  "ResourceNotFoundException",
  "AccessDeniedException",
  "DecryptionFailure",
  "InvalidRequestException",
  "InvalidParameterException",
]);

/** Parses the secret value. Errors name the secret and its fields, never the value (nor keep it as cause). */
function parseSecret(secretId: string, secretString: string | undefined): SealCredentials {
  const expected = 'JSON {"p12Base64": "<PKCS#12 in base64>", "passphrase": "<passphrase>"}';
  if (secretString === undefined) {
    throw new Error(`seal credentials: secret ${secretId} has no string value; store ${expected} in it`);
  }
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    // The SyntaxError quotes part of the value: not kept.
    throw new Error(`seal credentials: secret ${secretId} is not JSON; store ${expected} in it`);
  }
  const parsed = SealSecretSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "(value)"}: ${issue.message}`)
      .join("; ");
    throw new Error(`seal credentials: secret ${secretId} is invalid (${problems}); store ${expected} in it`);
  }
  return {
    p12: new Uint8Array(Buffer.from(parsed.data.p12Base64, "base64")),
    passphrase: parsed.data.passphrase,
  };
}

/**
 * The issuing authority's sealing credentials from a Secrets Manager secret, read once per Lambda
 * container: the first call fetches and parses the secret, concurrent first calls share that request, and
 * later calls get the cached value. A failed read is not cached, so the next call tries again. A new
 * certificate stored in the secret is picked up by new containers (redeploy the functions to force it).
 */
export function createSecretSealCredentials(
  client: SecretsManagerClient,
  secretId: string,
): () => Promise<SealCredentials> {
  let cached: Promise<SealCredentials> | undefined;

  async function load(): Promise<SealCredentials> {
    let secretString: string | undefined;
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      secretString = out.SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : "";
      if (SETUP_ERRORS.has(name)) {
        throw new Error(`seal credentials: cannot read secret ${secretId} (${name})`, { cause: error });
      }
      // Throttling, Secrets Manager errors, the network: worth a retry.
      throw new UnavailableError(`seal credentials: secret ${secretId} could not be read now`, {
        cause: error,
      });
    }
    return parseSecret(secretId, secretString);
  }

  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
