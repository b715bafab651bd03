import { createDynamoClients } from "@pledgewatch/aws/dynamo";
import { CAPTURE_TASK, DISPATCH_TASK, EVALUATE_TASK, InvalidError, type TaskQueue } from "@pledgewatch/core";
import { describe, expect, it } from "vitest";
import { createMonitoringWorker, evidenceOnly } from "./monitoring-worker";

const silent = { info() {}, warn() {}, error() {} };
/** Clients pointed at a port nothing listens on: any call that reached DynamoDB would fail loudly. */
const dynamo = createDynamoClients({ region: "ap-southeast-1", endpoint: "http://127.0.0.1:9" });
const queue = (sent: unknown[]): TaskQueue => ({ enqueue: async (task) => void sent.push(task) });

describe("a monitoring worker", () => {
  it("runs its function's one task and refuses any other type before touching anything", async () => {
    const sent: unknown[] = [];
    const worker = createMonitoringWorker(
      { dynamo, monitoringTableName: "m", tasks: queue(sent), logger: silent, workerId: "w" },
      CAPTURE_TASK,
    );
    for (const type of [DISPATCH_TASK, EVALUATE_TASK, "pledges.email-signed-copy"]) {
      const refused = worker.handleTask({ type, payload: {} });
      await expect(refused).rejects.toBeInstanceOf(InvalidError);
      await expect(refused).rejects.toThrow(`runs ${CAPTURE_TASK} tasks only, not ${type}`);
    }
    // Its own type goes through the payload's schema (and would then reach the table).
    await expect(worker.handleTask({ type: CAPTURE_TASK, payload: {} })).rejects.toThrow(/jobId/);
    expect(sent).toEqual([]);
  });

  it("keeps evidence under evidence/ and nowhere else of the documents store", async () => {
    const stored = new Map<string, Uint8Array>();
    const store = evidenceOnly({
      put: async (key, body) => void stored.set(key, body),
      get: async (key) => stored.get(key) ?? null,
    });
    await store.put("evidence/c1/p1/page.html", new Uint8Array([1]), "text/html");
    expect(await store.get("evidence/c1/p1/page.html")).toEqual(new Uint8Array([1]));
    for (const key of [
      "pledges/2026/abc.pdf",
      "evidence",
      "../evidence/x",
      "evidence/../pledges/abc.pdf",
      "reports/r1.pdf",
    ]) {
      await expect(store.put(key, new Uint8Array([1]), "application/pdf")).rejects.toThrow(/evidence only/);
      await expect(store.get(key)).rejects.toThrow(/evidence only/);
    }
    expect([...stored.keys()]).toEqual(["evidence/c1/p1/page.html"]);
    // The dispatcher has no documents store at all.
    await expect(evidenceOnly(undefined).get("evidence/x")).rejects.toThrow(
      /not part of a monitoring worker/,
    );
  });
});
