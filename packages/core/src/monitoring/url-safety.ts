import { InvalidError } from "../errors";

/**
 * URL safety for everything the crawler fetches (targets typed by staff, tips from the public, every
 * redirect and every sub-resource a page asks for): http and https only, no credentials in the URL, and
 * no address a request from our network must never reach — private, loopback, link-local (the cloud
 * metadata service lives at 169.254.169.254 and fd00:ec2::254), carrier-grade NAT, multicast, reserved.
 * The check runs on the addresses the name resolves to, and the connection then goes to exactly those
 * addresses (packages/capture pins them), so a name cannot resolve one way for the check and another for
 * the request.
 */

/** Why URL safety refused a hop; the console words each from its catalogue. */
export type CaptureRefusal = "scheme" | "credentials" | "host_not_allowed" | "not_resolving" | "non_public";

export class CaptureRefusedError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly refusal: CaptureRefusal = "non_public",
  ) {
    super(message);
    this.name = "CaptureRefusedError";
  }
}

export type CaptureFailure =
  | "timeout"
  | "too_large"
  | "crashed"
  | "network"
  | "http_status"
  | "blocked_by_host";

/**
 * How a failed capture is recorded on its job and capture (English, for the logs and the API):
 * `<failure>: <detail>`, for a refusal `refused: <refusal>: <detail>`. The one writer and reader of it.
 */
export function describeCaptureFailure(error: unknown): string {
  if (error instanceof CaptureRefusedError) return `refused: ${error.refusal}: ${error.message}`;
  if (error instanceof CaptureFailedError) return `${error.failure}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The codes of a recorded failure (describeCaptureFailure's): its failure, and for a refusal its reason. */
export function captureFailureOf(recorded: string | undefined): { failure: string; refusal?: string } {
  const [, failure = "", refusal] = /^([a-z_]+):(?: ([a-z_]+):)?/.exec(recorded ?? "") ?? [];
  return failure === "refused" && refusal ? { failure, refusal } : { failure };
}

export class CaptureFailedError extends Error {
  constructor(
    message: string,
    readonly failure: CaptureFailure,
    /** 429/403: when the host may be asked again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "CaptureFailedError";
  }
}

const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** A URL staff or the public submit, checked for shape (not yet resolved). Throws InvalidError. */
export function parseCaptureUrl(raw: string, field = "url"): { url: string; host: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InvalidError("Invalid URL", [
      { field, message: "Đường dẫn không hợp lệ (cần dạng https://…)." },
    ]);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidError("Only http and https", [
      { field, message: "Chỉ chấp nhận đường dẫn http:// hoặc https://." },
    ]);
  }
  if (url.username || url.password) {
    throw new InvalidError("Credentials in URL", [
      { field, message: "Đường dẫn không được chứa tên đăng nhập, mật khẩu." },
    ]);
  }
  if (raw.length > 2000) {
    throw new InvalidError("URL too long", [{ field, message: "Đường dẫn dài quá 2000 ký tự." }]);
  }
  url.hash = "";
  return { url: url.toString(), host: url.host.toLowerCase() };
}

function ipv4Parts(ip: string): number[] | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return nums.every((n) => n >= 0 && n <= 255) ? nums : null;
}

function ipv4Blocked(p: number[]): boolean {
  const [a = 0, b = 0, c = 0] = p;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a >= 224
  );
}

/** Expands an IPv6 address into eight 16-bit groups; null if it is not one. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().replace(/^\[|\]$/g, "");
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4Parts(dotted[2] ?? "");
    if (!v4) return null;
    const hex = (n: number) => n.toString(16);
    text = `${dotted[1]}${hex(((v4[0] ?? 0) << 8) | (v4[1] ?? 0))}:${hex(((v4[2] ?? 0) << 8) | (v4[3] ?? 0))}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) =>
    s === ""
      ? []
      : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return null;
  const groups = halves.length === 2 ? [...head, ...new Array<number>(fill).fill(0), ...rest] : head;
  return groups.every((g) => Number.isInteger(g)) ? groups : null;
}

/** True when `ip` (v4 or v6 literal) is an address the crawler may connect to. Anything unparsable: false. */
export function isPublicAddress(ip: string): boolean {
  const v4 = ipv4Parts(ip);
  if (v4) return !ipv4Blocked(v4);
  const g = ipv6Groups(ip);
  if (!g) return false;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = [g6 >> 8, g6 & 255, g7 >> 8, g7 & 255];
  if (g.every((x) => x === 0)) return false; // ::
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 1)
    return false; // ::1
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0))
    return !ipv4Blocked(embedded); // mapped / compatible
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0)
    return !ipv4Blocked(embedded); // IPv4-translated (::ffff:0:a.b.c.d)
  if (g0 === 0) return false; // the rest of ::/16 is reserved
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return false; // discard-only (100::/64)
  if (g0 === 0x64 && g1 === 0xff9b) return !ipv4Blocked(embedded); // NAT64
  if ((g0 & 0xfe00) === 0xfc00) return false; // unique local (AWS metadata fd00:ec2::254 among them)
  if ((g0 & 0xffc0) === 0xfe80) return false; // link-local
  if ((g0 & 0xff00) === 0xff00) return false; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return false; // documentation
  // IETF protocol assignments (2001::/23): Teredo (2001::/32, an IPv4 hidden inside), benchmarking, ORCHID.
  if (g0 === 0x2001 && g1 < 0x0200) return false;
  if ((g0 & 0xffc0) === 0xfec0) return false; // site-local (deprecated, still routed inside some networks)
  if (g0 === 0x3fff && g1 < 0x1000) return false; // documentation (3fff::/20)
  if (g0 === 0x5f00) return false; // SRv6 SIDs (5f00::/16)
  if (g0 === 0x2002) return !ipv4Blocked([g1 >> 8, g1 & 255, g2 >> 8, g2 & 255]); // 6to4
  return true;
}

/**
 * An explicit allowlist of `host:port` origins that may be reached although they resolve to a
 * non-public address: only the local demo marketplace, configured by `npm start` and the tests. Empty
 * on AWS.
 */
export type CaptureAllowlist = ReadonlySet<string>;

/** The decision for one hop: refuse with a reason, or connect to these addresses. */
export function checkResolvedHost(
  url: URL,
  addresses: readonly string[],
  allowlist: CaptureAllowlist,
): { ok: true } | { ok: false; code: CaptureRefusal; reason: string } {
  const scheme = checkScheme(url);
  if (!scheme.ok) return scheme;
  const hostname = url.hostname.toLowerCase().replace(/\.$/, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  if (allowlist.has(`${hostname}:${port}`)) return { ok: true };
  if (METADATA_NAMES.has(hostname) || hostname === "localhost" || hostname.endsWith(".localhost")) {
    return { ok: false, code: "host_not_allowed", reason: `host ${hostname} is not allowed` };
  }
  if (addresses.length === 0) {
    return { ok: false, code: "not_resolving", reason: `host ${hostname} does not resolve` };
  }
  const bad = addresses.find((a) => !isPublicAddress(a));
  if (bad) {
    return {
      ok: false,
      code: "non_public",
      reason: `host ${hostname} resolves to a non-public address (${bad})`,
    };
  }
  return { ok: true };
}

/**
 * One hop's whole check: scheme and credentials first (nothing is resolved for a `file:` URL), then the
 * host resolved with `resolve` (a failure counts as no address) and every address checked. Returns the
 * addresses the connection must go to. Used by the crawler for every hop and by the tips' pre-flight.
 */
export async function checkUrlSafety(
  url: URL,
  resolve: (hostname: string) => Promise<string[]>,
  allowlist: CaptureAllowlist,
): Promise<{ ok: true; addresses: string[] } | { ok: false; code: CaptureRefusal; reason: string }> {
  const scheme = checkScheme(url);
  if (!scheme.ok) return scheme;
  const addresses = await resolve(url.hostname.replace(/^\[|\]$/g, "")).catch(() => []);
  const verdict = checkResolvedHost(url, addresses, allowlist);
  return verdict.ok ? { ok: true, addresses } : verdict;
}

/**
 * The checks that need no name resolution: scheme and credentials. Run first, so a redirect to
 * `file:` or `data:` is refused before anything tries to resolve its (empty) host name.
 */
export function checkScheme(url: URL): { ok: true } | { ok: false; code: CaptureRefusal; reason: string } {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, code: "scheme", reason: `scheme ${url.protocol} is not allowed` };
  }
  if (url.username || url.password) {
    return { ok: false, code: "credentials", reason: "credentials in the URL" };
  }
  return { ok: true };
}
