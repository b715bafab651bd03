import { createHash, randomUUID } from "node:crypto";
import type { Capture, CaptureJob, DocumentStore, MonitoringRepository, Principal } from "@pledgewatch/core";
import { urlKey } from "@pledgewatch/core";
import { createCaptureCertificateRenderer, signaturePng } from "@pledgewatch/documents";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * A finished capture written through the real repository and evidence store, without a browser: for
 * tests of the HTTP surface (route table) that need a capture to read, not a page to render.
 */
export async function storedCapture(
  repository: MonitoringRepository,
  evidence: DocumentStore,
  actor: Principal,
  targetId?: string,
): Promise<{ capture: Capture; artefactKey: string }> {
  const id = randomUUID();
  const url = `https://example.com/san-pham/${id}`;
  const now = new Date();
  const job: CaptureJob = {
    id,
    ...(targetId ? { targetId } : {}),
    url,
    host: "example.com",
    urlKey: urlKey(url),
    origin: "on_demand",
    pageLimit: 1,
    platform: "website",
    agency: actor.agency,
    province: actor.province,
    requestedBy: actor.staffId,
    state: "open",
    attempts: 0,
    availableAt: now.toISOString(),
    createdAt: now.toISOString(),
  };
  if (!(await repository.createJob(job, new Date(now.getTime() + 60_000)))) throw new Error("lock taken");
  const claimed = await repository.claimJob(id, "test", now, new Date(now.getTime() + 60_000));
  if (!claimed) throw new Error("claim failed");
  const png = signaturePng();
  const key = `evidence/${id}-a1/p1/screenshot.png`;
  await evidence.put(key, png, "image/png");
  const manifest = new TextEncoder().encode(
    JSON.stringify({ captureId: `${id}-a1`, artefacts: [{ key, sha256: sha256(png) }] }),
  );
  const manifestKey = `evidence/${id}-a1/p1/manifest.json`;
  await evidence.put(manifestKey, manifest, "application/json");
  let capture: Capture = {
    id: `${id}-a1`,
    jobId: id,
    ...(targetId ? { targetId } : {}),
    url,
    origin: "on_demand",
    agency: actor.agency,
    province: actor.province,
    requestedBy: actor.staffId,
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    outcome: "succeeded",
    pages: [
      {
        pageNo: 1,
        requestedUrl: url,
        finalUrl: url,
        httpStatus: 200,
        fetchedAt: now.toISOString(),
        userAgent: "test",
        redirects: [],
        artefacts: [
          {
            name: "screenshot.png",
            key,
            contentType: "image/png",
            bytes: png.byteLength,
            sha256: sha256(png),
          },
        ],
        manifestKey,
        manifestSha256: sha256(manifest),
        itemCount: 0,
      },
    ],
    itemIds: [],
  };
  const pdf = await createCaptureCertificateRenderer()({ capture, screenshot: png, issuedAt: now });
  const certificateKey = `evidence/${id}-a1/certificate.pdf`;
  await evidence.put(certificateKey, pdf, "application/pdf");
  capture = {
    ...capture,
    certificate: {
      name: "certificate.pdf",
      key: certificateKey,
      contentType: "application/pdf",
      bytes: pdf.byteLength,
      sha256: sha256(pdf),
    },
  };
  await repository.finishJob(claimed, capture);
  return { capture, artefactKey: key };
}
