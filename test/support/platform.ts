import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createDynamoClients,
  createDynamoPartyRepository,
  createDynamoStaffRepository,
} from "@pledgewatch/aws";
import type { Clock, Mailer, PageRenderer, StaffRole, TravelClock } from "@pledgewatch/core";
import {
  createLocalPlatform,
  DEMO_PASSWORD,
  DEMO_STAFF,
  ensureTables,
  localSealCredentials,
  seedDemoData,
} from "@pledgewatch/local";
import type { ClientLimits, Logger } from "@pledgewatch/web";
import { inject } from "vitest";

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Fresh tables (unique prefix) in the shared DynamoDB Local of this run. */
export async function createTestTables() {
  const clients = createDynamoClients({ region: "ap-southeast-1", endpoint: inject("dynamoEndpoint") });
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const tables = await ensureTables(clients.client, prefix);
  return { clients, tables, tableName: tables.main };
}

/** The real platform (DynamoDB adapters, local auth) on fresh tables, with the demo data loaded. */
/** One sealing certificate per test worker: generating an RSA key for every platform would be slow. */
const sharedFiles = mkdtempSync(join(tmpdir(), "pledgewatch-test-"));
const sharedSealCredentials = localSealCredentials(join(sharedFiles, "seal"));
/** The sealing certificate of every test platform in this worker. */
export const testSealCredentials = sharedSealCredentials;

export async function createTestPlatform(
  options: {
    clock?: Clock;
    seed?: boolean;
    timeTravel?: TravelClock;
    /** A page renderer for captures (tests of what happens after a capture, without a browser). */
    monitoring?: { renderer?: PageRenderer };
    /** Wraps the outbox the platform sends mail through (tests of a mail service that fails). */
    wrapMailer?: (outbox: Mailer) => Mailer;
    /**
     * Per-client request limits. By default out of reach: a test file sends thousands of requests a
     * minute as a handful of accounts from no address; test/integration/client-limits.test.ts sets them.
     */
    clientLimits?: ClientLimits;
  } = {},
) {
  const { clients, tables, tableName } = await createTestTables();
  const platform = createLocalPlatform({
    clients,
    tables,
    files: join(sharedFiles, tableName),
    logger: silentLogger,
    stage: "test",
    sealCredentials: sharedSealCredentials,
    mailer: options.wrapMailer,
    clock: options.clock,
    timeTravel: options.timeTravel,
    clientLimits: options.clientLimits ?? { perAddress: 1e9, perAccount: 1e9, windowSeconds: 60 },
    monitoring: {
      renderer: options.monitoring?.renderer,
      // No DNS in the test sandbox: an address literal resolves to itself, any name to a public address
      // (the documentation's example.com one), so the tips' pre-flight check sees what a real resolver would.
      resolveHost: async (hostname) => [isIP(hostname) ? hostname : "93.184.215.14"],
    },
  });
  const { tasks, outbox, documents, repositories } = platform;
  if (options.seed !== false) {
    await seedDemoData({
      doc: clients.doc,
      tableName,
      staff: createDynamoStaffRepository(clients.doc, tableName),
      parties: createDynamoPartyRepository(clients.doc, tableName),
    });
  }
  const { app } = platform;

  /** Signs in through the real form (CSRF cookie, form post) and returns the session cookie header. */
  async function signIn(
    email: string,
    password = DEMO_PASSWORD,
    address = `10.0.0.${Math.floor(Math.random() * 250)}`,
  ) {
    const form = await app.request("/sign-in");
    const csrfCookie = /pw_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")?.[1] ?? "";
    const body = new URLSearchParams({ _csrf: csrfCookie, email, password, next: "/console" });
    const res = await app.request(
      "/sign-in",
      {
        method: "POST",
        body,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: "http://localhost",
          Cookie: `pw_csrf=${csrfCookie}`,
        },
      },
      { remoteAddress: address },
    );
    const session = /pw_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
    return { res, cookie: session ? `pw_session=${session}` : undefined };
  }

  async function cookieFor(role: StaffRole, agency: "CT" | "VHTT" | "YT" = "CT") {
    const person = DEMO_STAFF.find((s) => s.role === role && (role === "admin" || s.agency === agency));
    if (!person) throw new Error(`no demo staff ${role}/${agency}`);
    const { cookie } = await signIn(person.email);
    if (!cookie) throw new Error(`demo sign-in failed for ${person.email}`);
    return cookie;
  }

  return {
    ...platform,
    repositories,
    clients,
    tableName,
    tasks,
    signIn,
    cookieFor,
    outbox,
    documents,
    /** The folder of its signed documents, evidence and audit checkpoints. */
    documentsDir: join(sharedFiles, tableName, "documents"),
  };
}
