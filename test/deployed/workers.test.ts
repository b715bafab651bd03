import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { DROPPED_FLAGS, NO_NETWORK_FLAGS, WEBRTC_FLAGS } from "@pledgewatch/capture";
import type { Artefact } from "@pledgewatch/core";
import { type DemoMarket, FASHION_SHOP, SHOP_PAGE_SIZE, startDemoMarket } from "@pledgewatch/demo-market";
import chromium from "@sparticuz/chromium";
import type { SQSEvent } from "aws-lambda";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { CookieClient } from "./harness/browser-less";
import { connect, type Deployment } from "./harness/deployment";
import { startHttpApi } from "./harness/http-api";
import type { LambdaEnvironment } from "./harness/lambda";
import PUBLIC_HOSTS from "./harness/public-hosts.json";
import { pollOnce, scheduledEvent } from "./harness/sqs-poller";
import { cognitoClient, createStaffUser, firstConsoleSignIn, staffIdToken } from "./harness/staff";
import { CREDENTIALS, REGION } from "./harness/stand-ins";

let deployment: Deployment;
let sqs: SQSClient;
let api: LambdaEnvironment;
let http: Awaited<ReturnType<typeof startHttpApi>>;
let market: DemoMarket;
/** The demo marketplace's name on the harness's Internet. */
const MARKET_HOST = Object.keys(PUBLIC_HOSTS)[0] as string;

const queue = (prefix: string) => ({
  url: deployment.resource("PledgewatchStateful", prefix),
  arn: deployment.resource("PledgewatchStateful", prefix, "Arn"),
});

beforeAll(async () => {
  deployment = connect(inject("deployment"));
  sqs = new SQSClient({
    region: REGION,
    endpoint: deployment.endpoints.AWS_ENDPOINT_URL_SQS,
    credentials: CREDENTIALS,
  });
  api = await deployment.start("api");
  http = await startHttpApi(() => api);
  market = await startDemoMarket();
});
afterAll(async () => {
  sqs?.destroy();
  await http?.stop();
  await market?.stop();
  await deployment?.stop();
});

/** The arguments of a process's children, from /proc (Linux, where Lambda runs too). */
function childCommandLines(pid: number): string[][] {
  const lines: string[][] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid)
        lines.push(readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean));
    } catch {
      // the process ended while being read
    }
  }
  return lines;
}

/** The Input a schedule of the workers' template sends to the jobs queue, by its task type. */
function scheduleInput(type: string): string {
  const inputs = Object.values(deployment.assembly.templates.PledgewatchWorkers?.Resources ?? {})
    .filter((r) => r.Type === "AWS::Scheduler::Schedule")
    .map((r) => (r.Properties?.Target as { Input?: string } | undefined)?.Input ?? "");
  const input = inputs.find((i) => i.includes(`"${type}"`));
  if (!input) throw new Error(`no schedule sends ${type}`);
  return input;
}

/** Takes the jobs queue's messages until it is empty, running each on `jobs`; what ran, and what failed. */
async function drainJobs(jobs: LambdaEnvironment) {
  const ran: { type: string; failed: boolean }[] = [];
  for (let i = 0; i < 60; i++) {
    const polled = await pollOnce(sqs, queue("JobsQueue"), jobs, 10);
    if (polled.received.length === 0) break;
    for (const id of polled.received) {
      const type = (JSON.parse(polled.bodies[id] ?? "{}") as { type?: string }).type ?? "";
      ran.push({ type, failed: polled.failed.includes(id) });
    }
  }
  return ran;
}

async function visibleMessages(url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

describe("the jobs bundle (functions/jobs.ts) on the jobs queue", () => {
  it("runs the scheduler's renewal tick, and reports only the poisoned record of a batch, with its reason", async () => {
    const jobs = await deployment.start("jobs");
    const jobsQueue = queue("JobsQueue");
    // The hourly schedule sends its Input to the jobs queue (infra/lib/workers-stack.ts).
    const input = scheduleInput("renewal.tick");
    const record = (messageId: string, body: string): SQSEvent["Records"][number] => ({
      messageId,
      receiptHandle: `rh-${messageId}`,
      body,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: String(Date.now()),
        SenderId: "scheduler",
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: jobsQueue.arn,
      awsRegion: REGION,
    });
    const { result } = await jobs.invoke<{ batchItemFailures: { itemIdentifier: string }[] }>({
      Records: [record("tick-1", input), record("poison", '{"type":"renewal.tick"'), record("tick-2", input)],
    });
    expect(result.batchItemFailures, jobs.logs.filter((l) => l.includes("ERROR")).join("\n")).toEqual([
      { itemIdentifier: "poison" },
    ]);
    expect(
      jobs.logs.some((line) => line.includes('"messageId":"poison"') && line.includes("bad task message")),
    ).toBe(true);
  });

  it("runs the daily retention sweep its schedule sends, on the tables the template gave it (issue 19, item 8)", async () => {
    const jobs = await deployment.start("jobs");
    const input = scheduleInput("privacy.retention");
    expect(JSON.parse(input)).toEqual({ type: "privacy.retention", payload: {} });
    await sqs.send(new SendMessageCommand({ QueueUrl: queue("JobsQueue").url, MessageBody: input }));
    const ran = await drainJobs(jobs);
    expect(ran, jobs.logs.filter((l) => l.includes("ERROR")).join("\n")).toContainEqual({
      type: "privacy.retention",
      failed: false,
    });
    expect(jobs.logs.some((line) => line.includes('"message":"retention sweep"'))).toBe(true);
  });

  it("re-evaluates after a rule saved through the API bundle: the jobs bundle runs the run to its end (issue 23, item 3)", async () => {
    const lead = {
      email: "lanh.dao.quy.tac@soct.ninhbinh.gov.vn",
      name: "Lê Quy Tắc",
      group: "lead",
      agency: "CT",
      province: "37",
      temporaryPassword: "Tạm-thời-QT-2026!",
      password: "Quy-tắc-gắn-cờ-2026!",
    } as const;
    const idp = cognitoClient(deployment.endpoints);
    await createStaffUser(idp, deployment.resource("PledgewatchStateful", "StaffUserPool"), lead);
    idp.destroy();
    const browser = new CookieClient(http.url);
    await firstConsoleSignIn(browser, lead);
    const jobs = await deployment.start("jobs");
    await drainJobs(jobs);
    const current = (await (await browser.request("/api/v1/rules/counterfeit.slang")).json()) as {
      rule: { version: number; phrases: string[] };
    };
    const saved = await browser.request("/api/v1/rules/counterfeit.slang", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        rule: { ...current.rule, phrases: [...current.rule.phrases, "bản sao triển khai"] },
        expectedVersion: current.rule.version,
      }),
    });
    expect(saved.status, api.logs.slice(-5).join("\n")).toBe(200);
    const { ruleSetVersion } = (await saved.json()) as { ruleSetVersion: number };
    const ran = await drainJobs(jobs);
    const pages = ran.filter((r) => r.type === "flagging.reevaluate");
    expect(pages.length, jobs.logs.filter((l) => l.includes("ERROR")).join("\n")).toBeGreaterThanOrEqual(1);
    expect(pages.every((r) => !r.failed)).toBe(true);
    const rules = await (await browser.request("/console/rules")).text();
    expect(rules).toContain(`Đã đánh giá lại theo bộ quy tắc phiên bản ${ruleSetVersion}`);
  });

  it("moves a message that fails every attempt to the dead-letter queue, after the template's maxReceiveCount", async () => {
    const jobs = await deployment.start("jobs");
    const jobsQueue = queue("JobsQueue");
    const deadLetters = deployment.resource("PledgewatchStateful", "JobsDeadLetterQueue");
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: jobsQueue.url,
        MessageBody: JSON.stringify({ type: "no.such.task", payload: {} }),
      }),
    );
    const mapping = deployment.assembly.eventSources.find((e) =>
      e.functionLogicalId.startsWith("JobsFunction"),
    );
    expect(mapping?.reportsBatchItemFailures).toBe(true);
    // Other messages on the queue (tasks the renewal tick enqueued) are processed along the way.
    let attempts = 0;
    for (let i = 0; i < 30; i++) {
      const polled = await pollOnce(sqs, jobsQueue, jobs, mapping?.batchSize ?? 1);
      if (polled.received.length === 0) break;
      if (polled.received.includes(sent.MessageId as string)) {
        attempts++;
        expect(polled.failed).toContain(sent.MessageId);
      }
    }
    expect(attempts).toBe(5);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deadLetters, MaxNumberOfMessages: 10 }),
    );
    expect(Messages.map((m) => JSON.parse(m.Body ?? "{}").type)).toEqual(["no.such.task"]);
    expect(
      jobs.logs.some((line) => line.includes("no.such.task") || line.includes(sent.MessageId as string)),
    ).toBe(true);
  });
});

describe("a dead letter re-driven from the console", () => {
  it("goes back to the jobs queue once, by an admin's hand through the API bundle, and the jobs bundle runs it", async () => {
    const jobsQueue = queue("JobsQueue");
    const tick = JSON.stringify({ type: "renewal.tick", payload: {} });
    await sqs.send(new SendMessageCommand({ QueueUrl: jobsQueue.url, MessageBody: tick }));

    // A jobs environment whose database does not answer: the tick fails every attempt.
    const broken = await deployment.start("jobs", { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9" });
    for (let i = 0; i < 40; i++) {
      const polled = await pollOnce(sqs, jobsQueue, broken, 10);
      if (polled.received.length === 0) break;
    }
    await broken.stop();

    // An admin (created as the runbook says, enrolled at the first sign-in) re-drives it.
    const admin = {
      email: "quan.tri@soct.ninhbinh.gov.vn",
      name: "Trần Quản Trị",
      group: "admin",
      agency: "CT",
      province: "37",
      temporaryPassword: "Tạm-thời-QT-2026!",
      password: "Quản-trị-hệ-thống-2026!",
    } as const;
    const idp = cognitoClient(deployment.endpoints);
    await createStaffUser(idp, deployment.resource("PledgewatchStateful", "StaffUserPool"), admin);
    idp.destroy();
    const browser = new CookieClient(http.url);
    await firstConsoleSignIn(browser, admin);
    const page = await (await browser.request("/console/monitoring/dead-letters")).text();
    const rows = [...page.matchAll(/<tr><td>([^<]+)<\/td>[\s\S]*?action="([^"]+\/redrive)"/g)];
    const ticks = rows.filter(([, type]) => type === "renewal.tick");
    expect(ticks.length, page.replace(/<[^>]+>/g, " ").slice(0, 1500)).toBeGreaterThanOrEqual(1);
    const action = (ticks[0]?.[2] ?? "").replaceAll("&amp;", "&");
    const redriven = await browser.request(action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: CookieClient.field(page, "_csrf") }),
    });
    expect(redriven.status, api.logs.slice(-5).join("\n")).toBe(303);
    expect(redriven.headers.get("location")).toBe("/console/monitoring/dead-letters?redriven=1");
    // The same id again finds nothing to re-drive: the message left the dead-letter queue.
    const twice = await browser.request(action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: CookieClient.field(page, "_csrf") }),
    });
    expect(twice.status).not.toBe(303);

    // A healthy jobs environment takes it off the queue once and runs it.
    const jobs = await deployment.start("jobs");
    const runs: { id: string; failed: boolean }[] = [];
    for (let i = 0; i < 40; i++) {
      const polled = await pollOnce(sqs, jobsQueue, jobs, 10);
      if (polled.received.length === 0) break;
      for (const id of polled.received) {
        if (polled.bodies[id] === tick) runs.push({ id, failed: polled.failed.includes(id) });
      }
    }
    expect(runs, jobs.logs.filter((l) => l.includes("ERROR")).join("\n")).toHaveLength(1);
    expect(runs[0]?.failed).toBe(false);
  });
});

describe("the dispatch and capture bundles", () => {
  it("turns the schedule's event into capture jobs; the capture bundle's own Chromium keeps the evidence in S3, the jobs bundle flags the items into the review queue", async () => {
    const token = await staffIdToken(deployment, {
      email: "minh.tran@soct.ninhbinh.gov.vn",
      name: "Trần Văn Minh",
      group: "reviewer",
      agency: "CT",
      province: "37",
      temporaryPassword: "Tạm-thời-Rà-2026!",
      password: "Rà-soát-hằng-ngày-2026",
    });
    const bearer = { authorization: `Bearer ${token}` };
    const addTarget = async (url: string, label: string) => {
      const created = await fetch(`${http.url}/api/v1/monitoring/targets`, {
        method: "POST",
        headers: { ...bearer, "content-type": "application/json" },
        body: JSON.stringify({
          url,
          kind: "shop",
          schedule: "daily",
          label,
          platform: "chopho",
          pageLimit: 1,
        }),
      });
      expect(created.status, api.logs.slice(-5).join("\n")).toBe(201);
      return ((await created.json()) as { id: string }).id;
    };
    // The marketplace is on the Internet under its public name (the harness's network routes its address to
    // the server on loopback); the same server by its loopback address is what URL safety must refuse.
    const shopPath = `/shop/${FASHION_SHOP.slug}`;
    const publicTarget = await addTarget(
      `http://${MARKET_HOST}:${market.port}${shopPath}`,
      FASHION_SHOP.name,
    );
    const loopbackTarget = await addTarget(`${market.url}${shopPath}`, "Cùng cửa hàng, địa chỉ nội bộ");

    const dispatch = await deployment.start("dispatch");
    const rule = Object.keys(deployment.assembly.templates.PledgewatchCapture?.Resources ?? {}).find((id) =>
      id.startsWith("DispatchSchedule"),
    );
    await dispatch.invoke(scheduledEvent(`arn:aws:events:${REGION}:123456789012:rule/${rule}`));
    const captureQueue = queue("CaptureQueue");
    expect(await visibleMessages(captureQueue.url), dispatch.logs.slice(-5).join("\n")).toBe(2);

    const capture = await deployment.start("capture");
    const polled = await pollOnce(sqs, captureQueue, capture, 2);
    expect(polled.received).toHaveLength(2);
    // Both messages are done: one capture succeeded, the refused one failed for good (not retried).
    expect(polled.failed, capture.logs.filter((l) => l.includes("ERROR")).join("\n")).toEqual([]);
    const jobs = await Promise.all(
      Object.values(polled.bodies).map(async (body) => {
        const jobId = JSON.parse(body).payload?.jobId as string;
        const res = await fetch(`${http.url}/api/v1/monitoring/jobs/${jobId}`, { headers: bearer });
        return (await res.json()) as {
          targetId: string;
          state: string;
          lastError?: string;
          captureId?: string;
        };
      }),
    );
    const refused = jobs.find((j) => j.targetId === loopbackTarget);
    expect(refused).toMatchObject({ state: "failed" });
    expect(refused?.lastError).toMatch(
      /^refused: non_public: host 127\.0\.0\.1 resolves to a non-public address/,
    );
    const done = jobs.find((j) => j.targetId === publicTarget);
    expect(done, capture.logs.slice(-10).join("\n")).toMatchObject({ state: "done" });

    // The evidence: each artefact of the page is in the documents bucket, as the manifest hashed it.
    const captured = (await (
      await fetch(`${http.url}/api/v1/monitoring/captures/${done?.captureId}`, { headers: bearer })
    ).json()) as {
      capture: { outcome: string; pages: { finalUrl: string; artefacts: Artefact[]; manifestKey: string }[] };
      items: { id: string; title: string; url?: string }[];
    };
    expect(captured.capture.outcome).toBe("succeeded");
    const [page] = captured.capture.pages;
    expect(page?.finalUrl).toBe(`http://${MARKET_HOST}:${market.port}${shopPath}`);
    expect(page?.artefacts.map((a) => a.name)).toEqual(
      expect.arrayContaining(["screenshot.png", "page.html"]),
    );
    const s3 = new S3Client({
      region: REGION,
      endpoint: deployment.endpoints.AWS_ENDPOINT_URL_S3,
      credentials: CREDENTIALS,
      forcePathStyle: true,
    });
    const bucket = deployment.resource("PledgewatchStateful", "DocumentsBucket");
    for (const artefact of page?.artefacts ?? []) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: artefact.key }));
      const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      expect(createHash("sha256").update(bytes).digest("hex"), artefact.key).toBe(artefact.sha256);
    }
    s3.destroy();
    // The page's listings are items in DynamoDB.
    expect(captured.items.map((i) => i.title)).toEqual(
      expect.arrayContaining(FASHION_SHOP.products.slice(0, SHOP_PAGE_SIZE).map((p) => p.name)),
    );

    // The capture sent one evaluation per item to the jobs queue; the jobs bundle flags the counterfeit ones.
    const jobsBundle = await deployment.start("jobs");
    for (let round = 0; round < 10; round++) {
      const { received } = await pollOnce(sqs, queue("JobsQueue"), jobsBundle, 10);
      if (received.length === 0) break;
    }
    const cases = (
      (await (
        await fetch(`${http.url}/api/v1/cases?state=open&platform=chopho`, { headers: bearer })
      ).json()) as {
        items: { agency: string; province: string; item: { title: string; url?: string } }[];
      }
    ).items.filter((c) => captured.items.some((i) => i.title === c.item.title));
    const flaggedTitles = cases.map((c) => c.item.title).sort();
    expect(flaggedTitles, jobsBundle.logs.filter((l) => l.includes("ERROR")).join("\n")).toEqual(
      expect.arrayContaining([
        "Giày thể thao Nike Air Force 1 rep 1:1 full box",
        "Túi xách LV Neverfull super fake",
      ]),
    );
    expect(flaggedTitles).not.toContain("Áo thun cotton basic nam nữ");
    for (const c of cases) expect(c).toMatchObject({ agency: "CT", province: "37" });

    // The browser was launched from the bundle's own Chromium (unpacked to /tmp as on Lambda) and stays warm
    // in the execution environment for the next capture.
    const browser = childCommandLines(capture.pid).find((argv) => argv[0]?.startsWith("/tmp/chromium"));
    expect(browser, "no Chromium from /tmp among the capture environment's children").toBeDefined();
    // Launched with @sparticuz/chromium's Lambda flags, less the three dropped on purpose
    // (packages/capture/src/browser.ts), and with the flags that keep the browser off the network.
    const flags = new Set(browser);
    const missing = [
      ...chromium.args.filter((a) => !DROPPED_FLAGS.has(a)),
      ...WEBRTC_FLAGS,
      ...NO_NETWORK_FLAGS,
    ].filter((flag) => !flags.has(flag));
    expect(missing).toEqual([]);
    expect([...DROPPED_FLAGS].filter((flag) => flags.has(flag))).toEqual([]);
  });

  it("refuses an event that is not the schedule's, naming the fields, and dispatches nothing", async () => {
    const dispatch = await deployment.start("dispatch");
    const captureQueue = queue("CaptureQueue");
    const before = await visibleMessages(captureQueue.url);
    const wrong = {
      ...scheduledEvent("arn:aws:events:ap-southeast-1:123456789012:rule/x"),
      source: "aws.s3",
      "detail-type": "Object Created",
    };
    await expect(dispatch.invoke(wrong)).rejects.toThrow(/bad schedule event: .*source.*detail-type/);
    expect(dispatch.logs.some((line) => line.includes("refused event"))).toBe(true);
    expect(await visibleMessages(captureQueue.url)).toBe(before);
  });
});

describe("a large download through the API and jobs bundles", () => {
  it("imports 2,200 parties, commits them on the jobs bundle, and hands their 4 MB+ export over by a link to S3", async () => {
    const token = await staffIdToken(deployment, {
      email: "xuat.du.lieu@soct.ninhbinh.gov.vn",
      name: "Đặng Xuất Dữ Liệu",
      group: "reviewer",
      agency: "CT",
      province: "37",
      temporaryPassword: "Tạm-thời-XD-2026!",
      password: "Xuất-dữ-liệu-2026!",
    });
    const bearer = { authorization: `Bearer ${token}` };
    // Each party carries a long note, so that the list's CSV is over what a Lambda response can carry.
    const note = "Cam kết không kinh doanh hàng giả, hàng nhái, hàng không rõ nguồn gốc. "
      .repeat(27)
      .slice(0, 1990);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Danh sách");
    sheet.addRow(["Tên", "Mã số thuế", "Tỉnh/thành", "Ghi chú"]);
    const codes = Array.from({ length: 2_200 }, () => freshTaxCode(11));
    for (const [i, code] of codes.entries())
      sheet.addRow([`Sàn Xuất Khẩu ${i + 1}`, code, "Ninh Bình", note]);
    const upload = new FormData();
    upload.set("group", "ecommerce_platform");
    upload.set("file", new Blob([Buffer.from(await book.xlsx.writeBuffer())]), "danh-sach-lon.xlsx");
    const previewed = await fetch(`${http.url}/api/v1/imports`, {
      method: "POST",
      headers: bearer,
      body: upload,
    });
    expect(previewed.status, api.logs.slice(-5).join("\n")).toBe(201);
    const job = (await previewed.json()) as { id: string; counts: { create: number } };
    expect(job.counts.create).toBe(2_200);
    const commit = await fetch(`${http.url}/api/v1/imports/${job.id}/commit`, {
      method: "POST",
      headers: bearer,
    });
    expect(commit.status).toBe(202);

    // The jobs bundle writes the rows from the jobs queue.
    const jobs = await deployment.start("jobs");
    let status = "";
    for (let round = 0; round < 40 && status !== "committed"; round++) {
      await pollOnce(sqs, queue("JobsQueue"), jobs, 10);
      status = (
        (await (await fetch(`${http.url}/api/v1/imports/${job.id}`, { headers: bearer })).json()) as {
          status: string;
        }
      ).status;
    }
    expect(status, jobs.logs.slice(-5).join("\n")).toBe("committed");

    // The export is over 4 MB: the function copies it to S3 and answers a 303 to a short-lived link.
    const exported = await fetch(`${http.url}/api/v1/parties/export?format=csv&group=ecommerce_platform`, {
      headers: bearer,
      redirect: "manual",
    });
    expect(exported.status).toBe(303);
    expect(await exported.text()).toBe("");
    const link = new URL(exported.headers.get("location") ?? "");
    expect(link.origin).toBe(deployment.endpoints.AWS_ENDPOINT_URL_S3);
    expect(link.pathname).toMatch(/\/downloads\/[0-9a-f-]{36}$/);
    expect(link.searchParams.get("X-Amz-Expires")).toBe("300");
    expect(link.searchParams.get("response-content-disposition")).toMatch(/^attachment; filename=/);
    const file = await fetch(link);
    expect(file.status).toBe(200);
    const csv = Buffer.from(await file.arrayBuffer());
    expect(csv.length).toBeGreaterThan(4 * 1024 * 1024);
    const text = csv.toString("utf8");
    for (const code of [codes[0], codes[1_099], codes[2_199]]) expect(text).toContain(code);
    expect(text).toContain("Sàn Xuất Khẩu 2200");
  });
});
