/**
 * The path of a request as the logs may keep it: the secrets some paths carry are replaced by
 * `[redacted]` — a signing link's token (`/sign/<token>/…`), a takedown answer link's token
 * (`/takedown/<token>`) and a tip's tracking code (`/api/v1/tips/<code>`). Anyone who reads the logs
 * must not be able to sign a pledge, answer for a platform or follow a tip.
 */
const SECRET_SEGMENTS: readonly RegExp[] = [
  /^(\/sign\/)[^/]+/,
  /^(\/takedown\/)[^/]+/,
  /^(\/api\/v1\/tips\/)(?!form-token$)[^/]+/,
];

export function redactedPath(path: string): string {
  for (const pattern of SECRET_SEGMENTS) {
    if (pattern.test(path)) return path.replace(pattern, "$1[redacted]");
  }
  return path;
}
