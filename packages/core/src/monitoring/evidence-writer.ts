import { type Artefact, type Capture, type CapturedPage, EVIDENCE_PREFIX } from "./model";
import { encoder, type MonitoringContext, sha256 } from "./monitoring-context";
import type { RenderedPage } from "./ports";

/** Keeps a capture's evidence: each page's artefacts with their manifest, and the certificate PDF. */
export function createEvidenceWriter(ctx: MonitoringContext) {
  const { deps } = ctx;

  // ---- evidence ---------------------------------------------------------------------------------
  async function putArtefact(
    captureId: string,
    pageNo: number,
    name: string,
    body: Uint8Array,
    contentType: string,
  ): Promise<Artefact> {
    const key = `${EVIDENCE_PREFIX}${captureId}/p${pageNo}/${name}`;
    await deps.evidence.put(key, body, contentType);
    return { name, key, contentType, bytes: body.byteLength, sha256: sha256(body) };
  }

  async function storePage(captureId: string, pageNo: number, page: RenderedPage, itemIds: string[]) {
    const artefacts: Artefact[] = [];
    artefacts.push(await putArtefact(captureId, pageNo, "screenshot.png", page.screenshot, "image/png"));
    artefacts.push(
      await putArtefact(
        captureId,
        pageNo,
        "page.html",
        encoder.encode(page.html),
        "text/html; charset=utf-8",
      ),
    );
    artefacts.push(
      await putArtefact(
        captureId,
        pageNo,
        "text.txt",
        encoder.encode(page.text),
        "text/plain; charset=utf-8",
      ),
    );
    artefacts.push(
      await putArtefact(
        captureId,
        pageNo,
        "items.json",
        encoder.encode(
          JSON.stringify(
            page.items.map((item, i) => ({ ...item, itemId: itemIds[i] })),
            null,
            2,
          ),
        ),
        "application/json",
      ),
    );
    const manifest = {
      format: "pledgewatch-capture-manifest/1",
      captureId,
      pageNo,
      requestedUrl: page.requestedUrl,
      finalUrl: page.finalUrl,
      redirects: page.redirects,
      httpStatus: page.httpStatus,
      fetchedAt: page.fetchedAt.toISOString(),
      userAgent: page.userAgent,
      hashAlgorithm: "SHA-256",
      artefacts: artefacts.map(({ name, key, contentType, bytes, sha256 }) => ({
        name,
        key,
        contentType,
        bytes,
        sha256,
      })),
    };
    const manifestBytes = encoder.encode(JSON.stringify(manifest, null, 2));
    const manifestKey = `${EVIDENCE_PREFIX}${captureId}/p${pageNo}/manifest.json`;
    await deps.evidence.put(manifestKey, manifestBytes, "application/json");
    const stored: CapturedPage = {
      pageNo,
      requestedUrl: page.requestedUrl,
      finalUrl: page.finalUrl,
      httpStatus: page.httpStatus,
      fetchedAt: page.fetchedAt.toISOString(),
      userAgent: page.userAgent,
      redirects: page.redirects,
      artefacts,
      manifestKey,
      manifestSha256: sha256(manifestBytes),
      itemCount: page.items.length,
    };
    return stored;
  }

  async function certificateFor(capture: Capture): Promise<Artefact> {
    const first = capture.pages[0];
    const shotKey = first?.artefacts.find((a) => a.name === "screenshot.png")?.key;
    const screenshot = shotKey ? await deps.evidence.get(shotKey) : null;
    const pdf = await deps.certificate({ capture, screenshot, issuedAt: new Date(capture.finishedAt) });
    const key = `${EVIDENCE_PREFIX}${capture.id}/certificate.pdf`;
    await deps.evidence.put(key, pdf, "application/pdf");
    return {
      name: "certificate.pdf",
      key,
      contentType: "application/pdf",
      bytes: pdf.byteLength,
      sha256: sha256(pdf),
    };
  }

  return { storePage, certificateFor };
}
