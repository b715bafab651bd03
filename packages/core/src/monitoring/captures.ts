import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { NotFoundError } from "../errors";
import type { Artefact, Capture, CapturedItem } from "./model";
import type { MonitoringContext } from "./monitoring-context";

/** Reading what was captured: a capture with its items, its artefacts, a target's or a scope's captures. */
export function createCaptureReading(ctx: MonitoringContext) {
  const { repository, scopeOf, getTarget, artefactOf } = ctx;

  return {
    // ---- reading captures and items -----------------------------------------------------------------
    async getCapture(actor: Principal, id: string): Promise<{ capture: Capture; items: CapturedItem[] }> {
      authorize(actor, "monitoring.read");
      const capture = await repository.getCapture(id);
      if (!capture) throw new NotFoundError("No such capture");
      authorize(actor, "monitoring.read", scopeOf(capture));
      return { capture, items: await repository.getItems(capture.itemIds.slice(0, 200)) };
    },

    /** One stored artefact of a capture, after checking the caller may see the capture. */
    async artefact(
      actor: Principal,
      captureId: string,
      key: string,
    ): Promise<{ artefact: Artefact; body: Uint8Array }> {
      const { capture } = await this.getCapture(actor, captureId);
      const found = await artefactOf(capture, key);
      if (!found) throw new NotFoundError("No such artefact");
      return found;
    },

    /** A capture's evidence for a caller that checked its own scope (a review case's). */
    async evidence(captureId: string): Promise<Capture | null> {
      return repository.getCapture(captureId);
    },

    async evidenceArtefact(captureId: string, key: string) {
      const capture = await repository.getCapture(captureId);
      return capture ? artefactOf(capture, key) : null;
    },

    async capturesOfTarget(actor: Principal, targetId: string) {
      await getTarget(actor, targetId);
      return repository.capturesOfTarget(targetId, 50);
    },

    async recentCaptures(actor: Principal) {
      authorize(actor, "monitoring.read");
      return repository.recentCaptures(actor.agency, actor.province, 50);
    },

    async listItems(actor: Principal, cursor?: string) {
      authorize(actor, "monitoring.read");
      return repository.listItems(actor.agency, actor.province, 100, cursor);
    },
  };
}
