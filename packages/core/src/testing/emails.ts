import type { EmailTexts } from "../emails";

/**
 * E-mail texts for unit tests: the facts each e-mail carries, as `key=value` lines, so a test reads the
 * link, the code or the flags without depending on the catalogue's wording (tested in packages/web).
 */
const lines = (kind: string, values: Record<string, unknown>) => ({
  subject: `${kind}${values.resent ? " resent" : ""}${values.code ? ` ${values.code}` : ""}`,
  text: Object.entries(values)
    .map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : JSON.stringify(v)}`)
    .join("\n"),
});

export const TEST_EMAILS: EmailTexts = {
  invitation: (v) => lines("invitation", v),
  signingCode: (v) => lines("signingCode", v),
  signedCopy: (v) => lines("signedCopy", v),
  takedownRequest: (v) => lines("takedownRequest", v),
  overdueDigest: (v) => lines("overdueDigest", v),
};
