import { randomUUID } from "node:crypto";
import { type SESv2Client, SendEmailCommand, type SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import {
  type EmailAttachment,
  InvalidError,
  type Mailer,
  type OutgoingEmail,
  UnavailableError,
} from "@pledgewatch/core";

export interface SesMailerOptions {
  /** Sender: a bare address at a domain verified in SES, e.g. no-reply@pledgewatch.example.gov.vn. */
  from: string;
  /** SES configuration set to send through (reputation metrics, suppression, event destinations). */
  configurationSet?: string | undefined;
}

const CRLF = "\r\n";
/** Base64 line length of MIME bodies (RFC 2045 §6.8). */
const BASE64_LINE = 76;
/**
 * UTF-8 bytes per RFC 2047 encoded-word: 42 bytes are 56 base64 characters, 68 with `=?UTF-8?B?…?=`, so a
 * word fits a 78-character line even after "Subject: " (and is never more than the 75 RFC 2047 allows).
 */
const ENCODED_WORD_BYTES = 42;
/**
 * Longest RFC 2231 value section: with ` filename*0*=UTF-8''` before it and `;` after, a line stays within
 * 78 characters.
 */
const RFC2231_SECTION = 56;
/** Longest filename written as a quoted string (` filename="…";` stays within 78 characters). */
const QUOTED_FILENAME = 60;

const LINE_BREAK = /[\r\n]/;
const CONTROL = /\p{Cc}/u;
/** One address, nothing that could make it a list, a group or a display name. */
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
/** type/subtype, no parameters (RFC 2045 token characters). */
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
/** attribute-char of RFC 2231: what may stand unencoded in an extended parameter value. */
const ATTRIBUTE_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

function refuse(field: string, message: string): InvalidError {
  return new InvalidError(`e-mail ${field}: ${message}`, [{ field, message }]);
}

/** Header injection guard: a line break in a header value would start a header (or the body) of its own. */
function checkHeaderValue(field: string, value: string): void {
  if (LINE_BREAK.test(value)) throw refuse(field, "must not contain a line break");
  if (CONTROL.test(value)) throw refuse(field, "must not contain control characters");
}

function checkMessage(message: OutgoingEmail): void {
  checkHeaderValue("to", message.to);
  if (!ADDRESS.test(message.to)) throw refuse("to", "must be a single e-mail address");
  checkHeaderValue("subject", message.subject);
  (message.attachments ?? []).forEach((attachment, index) => {
    checkHeaderValue(`attachments.${index}.filename`, attachment.filename);
    if (attachment.filename.trim() === "") throw refuse(`attachments.${index}.filename`, "must not be empty");
    if (!MEDIA_TYPE.test(attachment.contentType)) {
      throw refuse(`attachments.${index}.contentType`, "must be a media type such as application/pdf");
    }
  });
}

function base64Lines(bytes: Uint8Array): string {
  const encoded = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += BASE64_LINE) lines.push(encoded.slice(i, i + BASE64_LINE));
  return lines.join(CRLF);
}

/**
 * RFC 2047 "B" encoded-words for an unstructured header (the subject), folded one word per line. Words
 * split between characters, never inside one; a decoder joins adjacent encoded-words without the folding
 * whitespace.
 */
export function encodeHeaderText(text: string): string {
  const words: string[] = [];
  let word = "";
  for (const char of text.normalize("NFC")) {
    if (word !== "" && Buffer.byteLength(word + char, "utf8") > ENCODED_WORD_BYTES) {
      words.push(word);
      word = char;
    } else {
      word += char;
    }
  }
  words.push(word);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`).join(`${CRLF} `);
}

/** RFC 2231 percent-encoding of a UTF-8 value. */
function rfc2231Encode(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value.normalize("NFC"), "utf8")) {
    const char = String.fromCharCode(byte);
    out += ATTRIBUTE_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Splits an RFC 2231-encoded value into sections, never inside a %XX triplet. */
function rfc2231Sections(encoded: string): string[] {
  const sections: string[] = [];
  let i = 0;
  while (i < encoded.length) {
    let end = Math.min(i + RFC2231_SECTION, encoded.length);
    const percent = encoded.lastIndexOf("%", end - 1);
    if (percent >= i && percent + 3 > end) end = percent;
    sections.push(encoded.slice(i, end));
    i = end;
  }
  return sections;
}

/** Printable ASCII that needs no quoting inside a quoted-string. */
function isPlainAscii(value: string): boolean {
  return /^[\x20-\x7e]+$/.test(value) && !/["\\]/.test(value);
}

/** A filename that can stand as a quoted string on a header line of its own (≤ 78 characters). */
function isShortPlainAscii(value: string): boolean {
  return isPlainAscii(value) && value.length <= QUOTED_FILENAME;
}

/**
 * ASCII stand-in for a filename, for readers without RFC 2231: "Cam kết.pdf" → "Cam ket.pdf"; shortened to
 * fit a header line, keeping the extension.
 */
function asciiFilename(filename: string): string {
  const folded = filename
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^A-Za-z0-9 ._()-]+/g, "_")
    .trim();
  if (folded === "" || /^[._]+$/.test(folded)) return "attachment";
  if (folded.length <= QUOTED_FILENAME) return folded;
  const dot = folded.lastIndexOf(".");
  const extension = dot > 0 && folded.length - dot <= 10 ? folded.slice(dot) : "";
  return `${folded.slice(0, QUOTED_FILENAME - extension.length).trimEnd()}${extension}`;
}

/**
 * Content-Disposition filename: a quoted string when short plain ASCII; otherwise RFC 2231
 * (`filename*=UTF-8''…`, in numbered sections when long). That case has no plain `filename` next to it
 * (some parsers would take that one); the part's Content-Type `name` carries the ASCII stand-in instead.
 */
function filenameParameters(filename: string): string[] {
  if (isShortPlainAscii(filename)) return [`filename="${filename}"`];
  const sections = rfc2231Sections(rfc2231Encode(filename));
  if (sections.length === 1) return [`filename*=UTF-8''${sections[0]}`];
  return sections.map((section, i) => `filename*${i}*=${i === 0 ? "UTF-8''" : ""}${section}`);
}

function attachmentPart(attachment: EmailAttachment): string {
  const name = isShortPlainAscii(attachment.filename)
    ? attachment.filename
    : asciiFilename(attachment.filename);
  return [
    `Content-Type: ${attachment.contentType};${CRLF} name="${name}"`,
    `Content-Disposition: attachment;${CRLF} ${filenameParameters(attachment.filename).join(`;${CRLF} `)}`,
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(attachment.content),
  ].join(CRLF);
}

/** RFC 5322 date in UTC. */
function mailDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, "+0000");
}

/**
 * The MIME message of an e-mail with attachments: multipart/mixed with the text as its first part
 * (text/plain, UTF-8, base64, CRLF line ends) and one base64 part per attachment. Refuses (InvalidError)
 * what could inject a header. Exported for tests.
 */
export function buildMimeMessage(from: string, message: OutgoingEmail, date = new Date()): string {
  checkHeaderValue("from", from);
  checkMessage(message);
  const boundary = `=_pledgewatch_${randomUUID()}`;
  const text = message.text.replace(/\r?\n/g, CRLF);
  const parts = [
    [
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: base64",
      "",
      base64Lines(new TextEncoder().encode(text)),
    ].join(CRLF),
    ...(message.attachments ?? []).map(attachmentPart),
  ];
  const headers = [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeaderText(message.subject)}`,
    `Date: ${mailDate(date)}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed;${CRLF} boundary="${boundary}"`,
  ];
  return [...headers, "", ...parts.map((part) => `--${boundary}${CRLF}${part}`), `--${boundary}--`, ""].join(
    CRLF,
  );
}

/** Translates an SES error; the original stays in `cause`, for logs only. */
export function translateSesError(error: unknown): Error {
  const name = error instanceof Error ? error.name : "";
  const unavailable = (message: string) => new UnavailableError(message, { cause: error });
  switch (name) {
    case "TooManyRequestsException":
    case "ThrottlingException":
    case "LimitExceededException":
      return unavailable("mail service is busy or the sending quota is reached: try again later");
    case "MessageRejected":
      return unavailable(
        "mail service rejected the message: check that the sender's domain is verified in SES and that the account has production access (out of the SES sandbox)",
      );
    case "MailFromDomainNotVerifiedException":
      return unavailable("mail service refused the sender: its MAIL FROM domain is not verified in SES");
    case "AccountSuspendedException":
    case "SendingPausedException":
      return unavailable("mail sending is paused for this account or configuration set in SES");
    case "NotFoundException":
      return unavailable("mail service: the configuration set or sender identity does not exist in SES");
    default:
      return unavailable("mail service did not accept the message");
  }
}

/** SES message tag value: ASCII letters, digits, `_` and `-` only. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256) || "unknown";
}

/**
 * Sends e-mail with SES (API v2). Without attachments SES builds the message (Simple content, UTF-8 subject
 * and text); with attachments this adapter builds the MIME message itself (Raw content). Recipient,
 * subject and filenames with a line break are refused (InvalidError) before anything is sent. Each message
 * is tagged with its `kind` for the configuration set's event destinations.
 */
export function createSesMailer(client: SESv2Client, options: SesMailerOptions): Mailer {
  if (LINE_BREAK.test(options.from) || !ADDRESS.test(options.from)) {
    throw new Error(`SES mailer: sender ${JSON.stringify(options.from)} is not a single e-mail address`);
  }
  const from = options.from;
  return {
    async send(message) {
      checkMessage(message);
      const attachments = message.attachments ?? [];
      const input: SendEmailCommandInput = {
        FromEmailAddress: from,
        Destination: { ToAddresses: [message.to] },
        ConfigurationSetName: options.configurationSet,
        EmailTags: [{ Name: "kind", Value: tagValue(message.kind) }],
        Content:
          attachments.length === 0
            ? {
                Simple: {
                  Subject: { Data: message.subject, Charset: "UTF-8" },
                  Body: { Text: { Data: message.text, Charset: "UTF-8" } },
                },
              }
            : { Raw: { Data: new TextEncoder().encode(buildMimeMessage(from, message)) } },
      };
      try {
        await client.send(new SendEmailCommand(input));
      } catch (error) {
        throw translateSesError(error);
      }
    },
  };
}
