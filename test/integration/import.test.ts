import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createDynamoImportRepository, createDynamoPartyRepository } from "@pledgewatch/aws";
import {
  createImportService,
  IMPORT_COMMIT_TASK,
  type ImportJob,
  type PartyChange,
  type PartyRepository,
  SIGNER_GROUP_INFO,
  SIGNER_GROUPS,
  type Task,
} from "@pledgewatch/core";
import { readTable } from "@pledgewatch/sheets";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { createTestPlatform } from "../support/platform";

const FIXTURES = join(import.meta.dirname, "../fixtures/imports");
const fileFor = (name: string) => readFileSync(join(FIXTURES, name));

let p: Awaited<ReturnType<typeof createTestPlatform>>;
let admin: string;
let ctReviewer: string;

beforeAll(async () => {
  p = await createTestPlatform();
  admin = await p.cookieFor("admin");
  ctReviewer = await p.cookieFor("reviewer", "CT");
});

async function upload(cookie: string, group: string, name: string, bytes: Uint8Array) {
  const body = new FormData();
  body.set("group", group);
  body.set("file", new File([bytes as Uint8Array<ArrayBuffer>], name));
  const res = await p.app.request("/api/v1/imports", {
    method: "POST",
    body,
    headers: { Cookie: cookie, Origin: "http://localhost" },
  });
  return {
    status: res.status,
    body: (await res.json()) as ImportJob & { error?: { issues: { message: string }[] } },
  };
}

async function commit(cookie: string, id: string): Promise<ImportJob> {
  const res = await p.app.request(`/api/v1/imports/${id}/commit`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: "http://localhost" },
  });
  expect(res.status).toBe(202);
  await p.tasks.idle();
  return (await (
    await p.app.request(`/api/v1/imports/${id}`, { headers: { Cookie: cookie } })
  ).json()) as ImportJob;
}

async function listGroup(cookie: string, group: string, agency: string, province = "37") {
  const res = await p.app.request(
    `/api/v1/parties?group=${group}&agency=${agency}&province=${province}&limit=200`,
    {
      headers: { Cookie: cookie },
    },
  );
  return (
    (await res.json()) as { items: { id: string; name: string; provinces: string[]; notes?: string }[] }
  ).items;
}

async function historyOf(cookie: string, id: string) {
  const res = await p.app.request(`/api/v1/parties/${id}/history`, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: PartyChange[] }).items;
}

async function searchIds(cookie: string, q: string, agency: string) {
  const res = await p.app.request(
    `/api/v1/parties?q=${encodeURIComponent(q)}&agency=${agency}&province=37&limit=200`,
    { headers: { Cookie: cookie } },
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { id: string }[] }).items.map((party) => party.id);
}

describe("importing the sample file of every signer group", () => {
  for (const group of SIGNER_GROUPS) {
    it(`${group}: previews 5 new rows, commits them, and a re-import updates instead of duplicating`, async () => {
      const name = SIGNER_GROUPS.indexOf(group) % 2 === 0 ? `${group}.xlsx` : `${group}.csv`;
      const agency = SIGNER_GROUP_INFO[group].agency;
      // The platform holds the demo data too: count what the import adds.
      const before = (await listGroup(admin, group, agency)).length;
      const beforeHanoi = (await listGroup(admin, group, agency, "01")).length;
      const first = await upload(admin, group, name, fileFor(name));
      expect(first.status).toBe(201);
      expect(first.body.errors).toEqual([]);
      expect(first.body.counts).toEqual({ rows: 5, create: 5, update: 0, skipped: 0 });
      expect((await commit(admin, first.body.id)).status).toBe("committed");
      const listed = await listGroup(admin, group, agency);
      expect(listed).toHaveLength(before + 5);
      // The fifth row operates in two provinces and is listed in both.
      expect(await listGroup(admin, group, agency, "01")).toHaveLength(beforeHanoi + 1);
      // Each imported party is found by its full name as written, and its history shows the import.
      const histories = await Promise.all(
        listed.map(async (party) => ({ party, h: await historyOf(admin, party.id) })),
      );
      const fromThisImport = histories.filter(({ h }) => h[0]?.importId === first.body.id);
      expect(fromThisImport).toHaveLength(5);
      const [one] = fromThisImport;
      expect(one).toBeDefined();
      if (!one) return;
      expect(await searchIds(admin, one.party.name, agency)).toContain(one.party.id);
      expect(
        one.h.map((change) => [change.action, change.before?.version ?? null, change.after.version]),
      ).toEqual([["imported_created", null, 1]]);

      const again = await upload(admin, group, name, fileFor(name));
      expect(again.body.counts).toEqual({ rows: 5, create: 0, update: 5, skipped: 0 });
      expect((await commit(admin, again.body.id)).status).toBe("committed");
      expect(await listGroup(admin, group, agency)).toHaveLength(before + 5);
      const history = await historyOf(admin, one.party.id);
      expect(history.map((change) => [change.action, change.importId, change.after.version])).toEqual([
        ["imported_updated", again.body.id, 2],
        ["imported_created", first.body.id, 1],
      ]);
      // The creation shows the first version, as the re-import found it.
      expect(history[1]?.after).toEqual(history[0]?.before);
    });
  }
});

describe("a file with mixed mistakes", () => {
  it("lists each error by row and column in Vietnamese and keeps formulas and injection strings as text", async () => {
    const { status, body } = await upload(
      ctReviewer,
      "ecommerce_platform",
      "mixed-errors.xlsx",
      fileFor("mixed-errors.xlsx"),
    );
    expect(status).toBe(201);
    const byRow = (row: number) => body.errors.filter((e) => e.rowNumber === row);
    expect(byRow(3)).toEqual([
      { rowNumber: 3, column: "Mã số thuế (*)", message: "Mã số thuế sai số kiểm tra" },
    ]);
    expect(byRow(4)).toEqual([{ rowNumber: 4, column: "Email", message: expect.stringMatching(/^Email/) }]);
    expect(byRow(6)).toEqual([{ rowNumber: 6, column: "", message: "Trùng với dòng 5 trong cùng tệp" }]);
    expect(byRow(9)).toEqual([
      { rowNumber: 9, column: "Tỉnh/thành (*)", message: "Không nhận ra tỉnh/thành: Sài Gòn Xưa" },
    ]);
    expect(body.ignoredColumns).toEqual(["Cột lạ"]);
    expect(body.counts).toEqual({ rows: 8, create: 4, update: 0, skipped: 4 });

    expect((await commit(ctReviewer, body.id)).status).toBe("committed");
    const parties = await listGroup(ctReviewer, "ecommerce_platform", "CT");
    const withFormula = parties.find((party) => party.name === "Công ty Có Công Thức");
    expect(withFormula?.notes).toBe('=HYPERLINK("http://evil.example","bấm vào đây")');
    expect(parties.some((party) => party.name === "=cmd|' /C calc'!A0")).toBe(true);
    expect(parties.some((party) => party.name.startsWith("Công ty Sai"))).toBe(false);

    // The export neutralises both, so no spreadsheet program evaluates them.
    const csv = await (
      await p.app.request("/api/v1/parties/export?format=csv&group=ecommerce_platform", {
        headers: { Cookie: ctReviewer },
      })
    ).text();
    expect(csv).toContain(`'=cmd|`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""bấm vào đây"")"`);
    expect(csv).not.toMatch(/(^|,)=cmd/m);
  });

  it("refuses a file in a legacy code page with a clear Vietnamese message, writing nothing", async () => {
    const { status, body } = await upload(
      ctReviewer,
      "ecommerce_platform",
      "wrong-encoding.csv",
      fileFor("wrong-encoding.csv"),
    );
    expect(status).toBe(400);
    expect(body.error?.issues[0]?.message).toMatch(/UTF-8/);
  });

  it("reads Excel's Unicode text export (UTF-16, tabs)", async () => {
    const { body } = await upload(
      admin,
      "ecommerce_platform",
      "excel-unicode-text.txt",
      fileFor("excel-unicode-text.txt"),
    );
    expect(body.errors).toEqual([]);
    expect(body.counts.create).toBe(2);
  });

  it("keeps staff inside their own province: a row only elsewhere is an error", async () => {
    const { body } = await upload(
      ctReviewer,
      "ecommerce_platform",
      "excel-unicode-text.txt",
      fileFor("excel-unicode-text.txt"),
    );
    expect(body.counts).toMatchObject({ create: 1, skipped: 1 });
    expect(body.errors[0]).toMatchObject({
      rowNumber: 3,
      message: expect.stringContaining("tỉnh/thành của mình"),
    });
  });
});

/** The admin who imports in the tests that drive the import service directly (no HTTP). */
const importAdmin = {
  staffId: "s",
  email: "a@example.vn",
  name: "Admin",
  agency: "CT" as const,
  province: "37",
  role: "admin" as const,
};

describe("all or nothing", () => {
  function csvOf(rows: string[][]): Uint8Array {
    return new TextEncoder().encode(
      ["Tên,Mã số thuế,Tỉnh/thành", ...rows.map((r) => r.join(","))].join("\n"),
    );
  }

  it("rolls back every written row when one write fails, and says why", async () => {
    const codes = Array.from({ length: 30 }, () => freshTaxCode(3));
    const rows = codes.map((code, i) => [`Công ty Lô ${i}`, code, "Ninh Bình"]);
    const { body } = await upload(admin, "ecommerce_platform", "lo.csv", csvOf(rows));
    expect(body.counts.create).toBe(30);
    // Meanwhile someone registers the last row's tax code by hand: that row can no longer be created.
    const taken = await p.app.request("/api/v1/parties", {
      method: "POST",
      body: JSON.stringify({
        name: "Đăng ký tay",
        group: "ecommerce_platform",
        provinces: ["37"],
        taxCode: codes[29],
      }),
      headers: { "Content-Type": "application/json", Cookie: admin },
    });
    expect(taken.status).toBe(201);

    const job = await commit(admin, body.id);
    expect(job.status).toBe("rolled_back");
    expect(job.failure).toMatch(/hoàn tác/);
    const left = (await listGroup(admin, "ecommerce_platform", "CT")).filter((party) =>
      party.name.startsWith("Công ty Lô"),
    );
    expect(left).toEqual([]);
    // The coverage counters followed both ways: the batch was counted once, and taken back with it.
    expect((await p.coverage.reconcile({ repair: false, provinces: ["37"] })).drift).toEqual([]);
  });

  it("finishes a commit whose worker died by undoing what it wrote", async () => {
    const parties = createDynamoPartyRepository(p.clients.doc, p.tableName);
    const imports = createDynamoImportRepository(p.clients.doc, p.tableName);
    let now = new Date("2026-03-02T02:00:00Z");
    const clock = { now: () => now };
    const queued: Task[] = [];
    const tasks = { enqueue: async (task: Task) => void queued.push(task) };
    // The worker writes three batches, then its process is killed (the fourth write never returns).
    let writes = 0;
    const dying: PartyRepository = {
      ...parties,
      bulkCreate: async (w) => {
        if (++writes > 3) return new Promise<void>(() => {});
        return parties.bulkCreate(w);
      },
    };
    const crashing = createImportService({
      parties: dying,
      imports,
      tasks,
      clock,
      newId: () => crypto.randomUUID(),
      batchSize: 2,
      concurrency: 1,
    });
    const recovering = createImportService({
      parties,
      imports,
      tasks,
      clock,
      newId: () => crypto.randomUUID(),
    });

    const codes = Array.from({ length: 10 }, () => freshTaxCode(4));
    const table = await readTable(csvOf(codes.map((code, i) => [`Công ty Sập ${i}`, code, "Ninh Bình"])));
    if (!table.ok) throw new Error(table.error);
    const job = await crashing.preview(importAdmin, {
      group: "ecommerce_platform",
      fileName: "sap.csv",
      table,
    });
    await crashing.commit(importAdmin, job.id);
    void crashing.runCommit(job.id);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await imports.get(job.id))?.status).toBe("committing");
    expect(
      (await listGroup(admin, "ecommerce_platform", "CT")).filter((x) => x.name.startsWith("Công ty Sập"))
        .length,
    ).toBe(6);

    // Past the lease, looking at the job re-queues it, and the task undoes the partial commit.
    now = new Date(now.getTime() + 10 * 60 * 1000);
    queued.length = 0;
    await recovering.get(importAdmin, job.id);
    expect(queued).toEqual([{ type: IMPORT_COMMIT_TASK, payload: { importId: job.id } }]);
    const finished = await recovering.runCommit(job.id);
    expect(finished.status).toBe("rolled_back");
    expect(
      (await listGroup(admin, "ecommerce_platform", "CT")).filter((x) => x.name.startsWith("Công ty Sập")),
    ).toEqual([]);
  });

  it("undoes a whole default-size batch, its before-images stored in several parts", async () => {
    const parties = createDynamoPartyRepository(p.clients.doc, p.tableName);
    const imports = createDynamoImportRepository(p.clients.doc, p.tableName);
    let now = new Date("2026-03-02T02:00:00Z");
    const clock = { now: () => now };
    const tasks = { enqueue: async () => {} };
    // The batch is written in full, then the worker dies before it records its progress.
    const dying: PartyRepository = {
      ...parties,
      bulkCreate: async (w) => {
        await parties.bulkCreate(w);
        return new Promise<void>(() => {});
      },
    };
    const service = (repo: PartyRepository) =>
      createImportService({ parties: repo, imports, tasks, clock, newId: () => crypto.randomUUID() });
    const codes = Array.from({ length: 60 }, () => freshTaxCode(6));
    const table = await readTable(csvOf(codes.map((code, i) => [`Công ty Phần ${i}`, code, "Ninh Bình"])));
    if (!table.ok) throw new Error(table.error);
    const ours = async () =>
      (await listGroup(admin, "ecommerce_platform", "CT")).filter((x) => x.name.startsWith("Công ty Phần"));
    const job = await service(dying).preview(importAdmin, {
      group: "ecommerce_platform",
      fileName: "phan.csv",
      table,
    });
    await service(dying).commit(importAdmin, job.id);
    void service(dying).runCommit(job.id);
    await expect.poll(async () => (await ours()).length, { timeout: 20_000 }).toBe(60);
    // One batch of 60 rows: its undo record is three stored parts, read back as one batch.
    expect((await imports.undo(job.id)).map((batch) => batch.length)).toEqual([60]);

    now = new Date(now.getTime() + 10 * 60 * 1000);
    const finished = await service(parties).runCommit(job.id);
    expect(finished.status).toBe("rolled_back");
    expect(await ours()).toEqual([]);
    expect((await p.coverage.reconcile({ repair: false, provinces: ["37"] })).drift).toEqual([]);
  });

  it("refuses a second commit of the same import", async () => {
    const { body } = await upload(
      admin,
      "ecommerce_platform",
      "mot.csv",
      csvOf([["Công ty Một Lần", freshTaxCode(5), "Ninh Bình"]]),
    );
    await commit(admin, body.id);
    const again = await p.app.request(`/api/v1/imports/${body.id}/commit`, {
      method: "POST",
      headers: { Cookie: admin, Origin: "http://localhost" },
    });
    expect(again.status).toBe(409);
  });
});

describe("duplicate task deliveries", () => {
  it("commit once when the same task runs twice at the same time, and leave a live commit alone", async () => {
    const body = new FormData();
    body.set("group", "ecommerce_platform");
    body.set(
      "file",
      new File(
        [`Tên,Mã số thuế,Tỉnh/thành\nCông ty Giao Hai Lần,${freshTaxCode(6)},Ninh Bình\n`],
        "hai-lan.csv",
      ),
    );
    const res = await p.app.request("/api/v1/imports", {
      method: "POST",
      body,
      headers: { Cookie: admin, Origin: "http://localhost" },
    });
    const job = (await res.json()) as ImportJob;
    // The queued task plus two more deliveries of it, all at once (SQS delivers at least once).
    await p.deps.imports.commit(importAdmin, job.id);
    await Promise.all([p.deps.imports.runCommit(job.id), p.deps.imports.runCommit(job.id)]);
    await p.tasks.idle();
    expect((await p.repositories.imports.get(job.id))?.status).toBe("committed");
    const named = (await listGroup(admin, "ecommerce_platform", "CT")).filter(
      (x) => x.name === "Công ty Giao Hai Lần",
    );
    expect(named).toHaveLength(1);
  });
});
