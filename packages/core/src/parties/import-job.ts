import { z } from "zod";
import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import type { Clock, TaskQueue } from "../ports";
import { AgencyCodeSchema } from "../reference/agencies";
import { SIGNER_GROUP_INFO, type SignerGroup, SignerGroupSchema } from "../reference/signer-groups";
import { type ImportTable, planImport, type RowError } from "./import-plan";
import { applyImport, newParty, PartyInputSchema } from "./input";
import { ActorRefSchema, type Party, PartySchema } from "./model";
import type { PartyRepository, PartyWrite } from "./ports";
import { actorRef } from "./service";

export const IMPORT_STATUSES = [
  "previewed",
  "queued",
  "committing",
  "committed",
  "failed",
  "rolled_back",
] as const;

export const ImportJobSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  group: SignerGroupSchema,
  agency: AgencyCodeSchema,
  province: z.string(),
  status: z.enum(IMPORT_STATUSES),
  createdBy: ActorRefSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  counts: z.object({ rows: z.number(), create: z.number(), update: z.number(), skipped: z.number() }),
  fileErrors: z.array(z.string()),
  ignoredColumns: z.array(z.string()),
  /** Row errors in file order: the first 1,000 (a job record must stay under DynamoDB's item size). */
  errors: z.array(z.object({ rowNumber: z.number(), column: z.string(), message: z.string() })),
  errorCount: z.number(),
  progress: z.object({ done: z.number(), total: z.number() }),
  /** Until when the committing worker holds the job; past it, the commit is taken as crashed. */
  leaseUntil: z.string().optional(),
  failure: z.string().optional(),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

/** A stored plan row: the raw row is validated again when committed. */
export const StoredRowPlanSchema = z.object({
  rowNumber: z.number(),
  action: z.enum(["create", "update"]),
  partyId: z.string().optional(),
  raw: z.record(z.string(), z.unknown()),
});
export type StoredRowPlan = z.infer<typeof StoredRowPlanSchema>;

/** Before-images of one committed batch, to roll it back. */
export const UndoEntrySchema = z.object({
  partyId: z.string(),
  before: PartySchema.nullable(),
  afterVersion: z.number(),
  /** For a created party: the record, so even a half-written creation can be removed. */
  created: PartySchema.optional(),
});
export type UndoEntry = z.infer<typeof UndoEntrySchema>;

export interface ImportRepository {
  create(job: ImportJob, plans: StoredRowPlan[]): Promise<void>;
  get(id: string): Promise<ImportJob | null>;
  /** Conditional update: only when the job is still in `from` status. ConflictError otherwise. */
  transition(id: string, from: ImportJob["status"][], patch: Partial<ImportJob>): Promise<ImportJob>;
  plans(id: string): Promise<StoredRowPlan[]>;
  saveUndo(id: string, batch: number, entries: UndoEntry[]): Promise<void>;
  undo(id: string): Promise<UndoEntry[][]>;
  list(agency: string, province: string, limit: number): Promise<ImportJob[]>;
}

export interface ImportServiceDeps {
  parties: PartyRepository;
  imports: ImportRepository;
  tasks: TaskQueue;
  clock: Clock;
  newId: () => string;
  /**
   * Rows per batch: one undo record, then the batch's writes (default 100: a batch's identifier claims fill
   * one transaction, its coverage counters are one aggregated update, and DynamoDB's fixed cost per request
   * is paid a quarter as often as with 25).
   */
  batchSize?: number;
  /** Transactions in flight at once. */
  concurrency?: number;
  leaseSeconds?: number;
}

export const IMPORT_COMMIT_TASK = "parties.import.commit";

/**
 * Import of a party list: preview (validate every row, decide create/update/skip, store the plan), then
 * commit (write every accepted row, all or nothing). A commit that fails or is interrupted is rolled back
 * from the before-images saved ahead of each batch.
 */
/** The steps an import is built from: a job in the caller's scope, the party writes of one batch, a rollback of what the import wrote. */
function importSteps(deps: ImportServiceDeps) {
  const { parties, imports, tasks, clock, newId } = deps;
  const batchSize = deps.batchSize ?? 100;
  const concurrency = deps.concurrency ?? 8;
  const leaseSeconds = deps.leaseSeconds ?? 120;

  async function loadVisible(actor: Principal, id: string): Promise<ImportJob> {
    const job = await imports.get(id);
    if (!job || !can(actor, "parties.read", { agency: job.agency, provinces: [job.province] })) {
      throw new NotFoundError("Import not found");
    }
    return job;
  }

  async function rollback(job: ImportJob, reason: string): Promise<ImportJob> {
    const batches = await imports.undo(job.id);
    const now = clock.now();
    for (const entries of batches.reverse()) {
      for (const entry of entries) {
        const current = await parties.get(entry.partyId);
        if (entry.before === null) {
          // A creation may be half-written (claims without the party item): remove whatever exists.
          const created = current ?? entry.created;
          if (created && (!current || current.version === entry.afterVersion)) await parties.remove(created);
          continue;
        }
        // Only undo what this import wrote: a party someone changed since is left alone.
        if (!current || current.version !== entry.afterVersion) continue;
        const restored: Party = {
          ...entry.before,
          version: current.version + 1,
          updatedAt: now.toISOString(),
        };
        await parties.write([
          {
            before: current,
            after: restored,
            change: {
              partyId: current.id,
              at: now.toISOString(),
              by: job.createdBy,
              action: "import_rolled_back",
              importId: job.id,
              reason,
              before: current,
              after: restored,
            },
          },
        ]);
      }
    }
    return imports.transition(job.id, ["committing", "queued"], {
      status: "rolled_back",
      failure: reason,
      updatedAt: now.toISOString(),
      leaseUntil: undefined,
    });
  }

  async function buildWrites(batch: StoredRowPlan[], job: ImportJob): Promise<PartyWrite[]> {
    const now = clock.now();
    const writes: PartyWrite[] = [];
    for (const plan of batch) {
      const input = PartyInputSchema.parse({ ...plan.raw, group: job.group });
      if (plan.action === "update" && plan.partyId) {
        const before = await parties.get(plan.partyId);
        if (!before) throw new ConflictError(`party ${plan.partyId} was removed meanwhile`);
        const after = applyImport(before, input, job.createdBy, now);
        writes.push({
          before,
          after,
          change: {
            partyId: after.id,
            at: now.toISOString(),
            by: job.createdBy,
            action: "imported_updated",
            importId: job.id,
            before,
            after,
          },
        });
      } else {
        const after: Party = { ...newParty(input, newId(), job.createdBy, now), createdByImport: job.id };
        writes.push({
          before: null,
          after,
          change: {
            partyId: after.id,
            at: now.toISOString(),
            by: job.createdBy,
            action: "imported_created",
            importId: job.id,
            before: null,
            after,
          },
        });
      }
    }
    return writes;
  }

  return {
    parties,
    imports,
    tasks,
    clock,
    newId,
    batchSize,
    concurrency,
    leaseSeconds,
    loadVisible,
    rollback,
    buildWrites,
  };
}

export function createImportService(deps: ImportServiceDeps) {
  const {
    parties,
    imports,
    tasks,
    clock,
    newId,
    batchSize,
    concurrency,
    leaseSeconds,
    loadVisible,
    rollback,
    buildWrites,
  } = importSteps(deps);

  return {
    async preview(actor: Principal, input: { group: SignerGroup; fileName: string; table: ImportTable }) {
      const agency = SIGNER_GROUP_INFO[input.group].agency;
      authorize(actor, "parties.write", { agency, provinces: [actor.province] });
      const plan = await planImport(input.table, input.group, actor, parties);
      const now = clock.now().toISOString();
      const errors: RowError[] = plan.rows.flatMap((r) => r.errors);
      const accepted = plan.rows.filter((r) => r.action !== "skip");
      const job: ImportJob = {
        id: newId(),
        fileName: input.fileName.slice(0, 200),
        group: input.group,
        agency,
        province: actor.province,
        status: "previewed",
        createdBy: actorRef(actor),
        createdAt: now,
        updatedAt: now,
        counts: {
          rows: plan.rows.length,
          create: accepted.filter((r) => r.action === "create").length,
          update: accepted.filter((r) => r.action === "update").length,
          skipped: plan.rows.length - accepted.length,
        },
        fileErrors: plan.fileErrors,
        ignoredColumns: plan.ignoredColumns,
        errors: errors.slice(0, 1000),
        errorCount: errors.length,
        progress: { done: 0, total: accepted.length },
      };
      await imports.create(
        job,
        accepted.map((r) => ({
          rowNumber: r.rowNumber,
          action: r.action === "update" ? "update" : "create",
          partyId: r.partyId,
          raw: r.raw ?? {},
        })),
      );
      return job;
    },

    async get(actor: Principal, id: string): Promise<ImportJob> {
      const job = await loadVisible(actor, id);
      // A commit whose worker died holds its lease no longer: finish the job by undoing it.
      if (
        (job.status === "committing" || job.status === "queued") &&
        job.leaseUntil &&
        job.leaseUntil < clock.now().toISOString()
      ) {
        await tasks.enqueue({ type: IMPORT_COMMIT_TASK, payload: { importId: id } });
      }
      return job;
    },

    list(actor: Principal) {
      authorize(actor, "parties.read");
      return imports.list(actor.agency, actor.province, 20);
    },

    async commit(actor: Principal, id: string): Promise<ImportJob> {
      const job = await loadVisible(actor, id);
      authorize(actor, "parties.write", { agency: job.agency, provinces: [job.province] });
      if (job.fileErrors.length > 0 || job.progress.total === 0) {
        throw new InvalidError("Nothing to import", [
          { field: "", message: "Tệp không có dòng hợp lệ nào để nhập" },
        ]);
      }
      const lease = new Date(clock.now().getTime() + leaseSeconds * 1000).toISOString();
      const queued = await imports.transition(id, ["previewed"], {
        status: "queued",
        updatedAt: clock.now().toISOString(),
        leaseUntil: lease,
      });
      await tasks.enqueue({ type: IMPORT_COMMIT_TASK, payload: { importId: id } });
      return queued;
    },

    /** The task handler: runs the commit, or finishes a crashed one by rolling it back. Idempotent. */
    async runCommit(importId: string): Promise<ImportJob> {
      const job = await imports.get(importId);
      if (!job) throw new NotFoundError("Import not found");
      const leaseExpired = !job.leaseUntil || job.leaseUntil < clock.now().toISOString();
      if (job.status === "committing") {
        // Another worker holds a live lease: this is a duplicate delivery, not a crash.
        if (!leaseExpired) return job;
        return rollback(job, "Nhập dữ liệu bị gián đoạn; mọi thay đổi đã được hoàn tác");
      }
      if (job.status !== "queued") return job;

      const leaseFor = () => new Date(clock.now().getTime() + leaseSeconds * 1000).toISOString();
      let current: ImportJob;
      try {
        current = await imports.transition(importId, ["queued"], {
          status: "committing",
          leaseUntil: leaseFor(),
          updatedAt: clock.now().toISOString(),
        });
      } catch (error) {
        // A concurrent delivery of the same task started first; it does the work.
        if (error instanceof ConflictError) return (await imports.get(importId)) ?? job;
        throw error;
      }
      const plans = await imports.plans(importId);
      const batches: StoredRowPlan[][] = [];
      for (let i = 0; i < plans.length; i += batchSize) batches.push(plans.slice(i, i + batchSize));

      // Progress about every 500 rows, whatever the batch size.
      const progressEvery = Math.max(1, Math.round(500 / batchSize));
      let done = 0;
      let next = 0;
      let failure: Error | undefined;
      const worker = async () => {
        while (!failure && next < batches.length) {
          const index = next++;
          const batch = batches[index] ?? [];
          try {
            const writes = await buildWrites(batch, current);
            await imports.saveUndo(
              importId,
              index,
              writes.map((w) => ({
                partyId: w.after.id,
                before: w.before,
                afterVersion: w.after.version,
                ...(w.before ? {} : { created: w.after }),
              })),
            );
            const creates = writes.filter((w) => w.before === null);
            const updates = writes.filter((w) => w.before !== null);
            if (creates.length > 0) await parties.bulkCreate(creates);
            if (updates.length > 0) await parties.write(updates);
            done += batch.length;
            if (index % progressEvery === 0 || done === plans.length) {
              current = await imports.transition(importId, ["committing"], {
                progress: { done, total: plans.length },
                leaseUntil: leaseFor(),
                updatedAt: clock.now().toISOString(),
              });
            }
          } catch (error) {
            failure = error instanceof Error ? error : new Error(String(error));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));

      if (failure) {
        const reason =
          failure instanceof ConflictError
            ? `Dữ liệu đã thay đổi trong lúc nhập (${failure.message}); mọi thay đổi đã được hoàn tác`
            : "Nhập dữ liệu thất bại; mọi thay đổi đã được hoàn tác";
        return rollback(current, reason);
      }
      return imports.transition(importId, ["committing"], {
        status: "committed",
        progress: { done: plans.length, total: plans.length },
        leaseUntil: undefined,
        updatedAt: clock.now().toISOString(),
      });
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
