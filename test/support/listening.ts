import { readFileSync } from "node:fs";

/**
 * The local addresses with a listening TCP socket on `port`, read from the kernel's socket tables
 * (/proc/net/tcp and tcp6, Linux): "127.0.0.1", "0.0.0.0", "::", "::ffff:127.0.0.1", …
 */
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const [file, v6] of [
    ["/proc/net/tcp", false],
    ["/proc/net/tcp6", true],
  ] as const) {
    let table: string;
    try {
      table = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of table.split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== "0A") continue; // 0A: LISTEN
      const [hex, portHex] = local.split(":");
      if (!hex || Number.parseInt(portHex ?? "", 16) !== port) continue;
      found.push(v6 ? ipv6(hex) : ipv4(hex));
    }
  }
  return found;
}

/** A listener reachable only from this machine. */
export function isLoopbackListener(address: string): boolean {
  return /^127\./.test(address) || address === "::1" || /^::ffff:127\./.test(address);
}

// The kernel prints each 32-bit word of the address in host (little-endian) byte order.
function words(hex: string): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < hex.length; i += 8) {
    const word = hex.slice(i, i + 8);
    out.push([6, 4, 2, 0].map((j) => Number.parseInt(word.slice(j, j + 2), 16)));
  }
  return out;
}

function ipv4(hex: string): string {
  return (words(hex)[0] ?? []).join(".");
}

function ipv6(hex: string): string {
  const bytes = words(hex).flat();
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `::ffff:${bytes.slice(12).join(".")}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  const full = groups.join(":");
  if (full === "0:0:0:0:0:0:0:0") return "::";
  if (full === "0:0:0:0:0:0:0:1") return "::1";
  return full;
}
