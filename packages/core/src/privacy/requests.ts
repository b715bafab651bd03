import { z } from "zod";
import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import { parseInput } from "../input";
import { ActorRefSchema } from "../parties/model";
import { actorRef } from "../parties/service";
import type { Clock } from "../ports";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import { nfc } from "../text/fold";
import type { TipRepository } from "../tips/ports";
import { findTipByCode } from "../tips/service";
import { isWorkingDay } from "../working-days";
import { erasedTip } from "./retention";

/**
 * A data subject's request (issue 19, item 8) under the Personal Data Protection Law 2025 and Decree
 * 356/2025: someone asks an office what it holds about them, to correct it, to delete it, to withdraw a
 * consent, or objects to its processing. Staff record it as it arrives (by e-mail, letter, in person…),
 * give a first response, and answer it; each request carries its legal clocks, shown on every page.
 */
export const DATA_REQUEST_KINDS = ["access", "correction", "deletion", "withdrawal", "objection"] as const;
export const DataRequestKindSchema = z.enum(DATA_REQUEST_KINDS);
export type DataRequestKind = z.infer<typeof DataRequestKindSchema>;

export const DATA_REQUEST_CHANNELS = ["email", "letter", "in_person", "phone", "online"] as const;
export const DATA_REQUEST_STATES = ["received", "acknowledged", "answered"] as const;
export const DATA_REQUEST_OUTCOMES = ["fulfilled", "partly", "refused"] as const;

/**
 * The legal clocks. First response: by the end of the 2nd working day after the day of receipt (the
 * platform's one calendar of Vietnamese working days, ../working-days.ts: weekends and public holidays
 * skipped, as for takedown requests). Settlement:
 * 15 days for a withdrawal of consent or an objection, as the issue states the law; the other kinds
 * take the same 15 days until the legal office names theirs — one table to change (docs/decisions.md).
 */
export const FIRST_RESPONSE_WORKING_DAYS = 2;
export const SETTLEMENT_DAYS: Record<DataRequestKind, number> = {
  access: 15,
  correction: 15,
  deletion: 15,
  withdrawal: 15,
  objection: 15,
};
/** A personal data breach is notified to the authority within this many hours (shown in the runbook). */
export const BREACH_NOTIFICATION_HOURS = 72;

const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** The end (23:59:59.999, Asia/Ho_Chi_Minh) of the Vietnamese day `days` after the day of `from`. */
function endOfVietnamDay(from: Date, days: number): Date {
  const local = new Date(from.getTime() + VN_OFFSET_MS);
  const start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return new Date(start + (days + 1) * DAY_MS - 1 - VN_OFFSET_MS);
}

/** The end of the `n`th working day (../working-days.ts) after the day of `from`, in Vietnam. */
export function workingDaysAfter(from: Date, n: number): Date {
  let days = 0;
  let counted = 0;
  while (counted < n) {
    days++;
    const local = new Date(endOfVietnamDay(from, days).getTime() + VN_OFFSET_MS);
    if (isWorkingDay(local.toISOString().slice(0, 10))) counted++;
  }
  return endOfVietnamDay(from, days);
}

export function dataRequestClocks(kind: DataRequestKind, receivedAt: Date) {
  return {
    firstResponseDue: workingDaysAfter(receivedAt, FIRST_RESPONSE_WORKING_DAYS).toISOString(),
    settlementDue: endOfVietnamDay(receivedAt, SETTLEMENT_DAYS[kind]).toISOString(),
  };
}

export const DataRequestSchema = z.object({
  id: z.string(),
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  kind: DataRequestKindSchema,
  channel: z.enum(DATA_REQUEST_CHANNELS),
  subjectName: z.string(),
  subjectContact: z.string(),
  details: z.string(),
  /** A tip the request is about (found by the tipster's tracking code, in this office's scope). */
  tipId: z.string().optional(),
  receivedAt: z.string(),
  firstResponseDue: z.string(),
  settlementDue: z.string(),
  state: z.enum(DATA_REQUEST_STATES),
  acknowledgedAt: z.string().optional(),
  acknowledgement: z.string().optional(),
  answeredAt: z.string().optional(),
  outcome: z.enum(DATA_REQUEST_OUTCOMES).optional(),
  answer: z.string().optional(),
  /** What the answer erased (a deletion or withdrawal fulfilled on a tip). */
  erasedTipAt: z.string().optional(),
  steps: z.array(z.object({ at: z.string(), by: ActorRefSchema, what: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int().min(1),
});
export type DataRequest = z.infer<typeof DataRequestSchema>;

/** Where a request stands against its clocks at `now`: the next due date, and whether it was missed. */
export interface DataRequestClock {
  /** The clock that runs now: the first response until one is given, then the settlement. */
  running: "first_response" | "settlement" | null;
  due: string | null;
  overdue: boolean;
  /** Whether each clock was met (undefined while it runs). */
  firstResponseMet?: boolean;
  settlementMet?: boolean;
}

export function clockOf(request: DataRequest, now: Date): DataRequestClock {
  const firstResponseMet = request.acknowledgedAt
    ? request.acknowledgedAt <= request.firstResponseDue
    : undefined;
  const settlementMet = request.answeredAt ? request.answeredAt <= request.settlementDue : undefined;
  if (request.state === "answered")
    return {
      running: null,
      due: null,
      overdue: false,
      ...(firstResponseMet === undefined ? {} : { firstResponseMet }),
      ...(settlementMet === undefined ? {} : { settlementMet }),
    };
  const running = request.state === "received" ? "first_response" : "settlement";
  const due = running === "first_response" ? request.firstResponseDue : request.settlementDue;
  return {
    running,
    due,
    overdue: now.toISOString() > due,
    ...(firstResponseMet === undefined ? {} : { firstResponseMet }),
  };
}

const text = (max: number, message: string) =>
  z
    .string({ message })
    .transform((s) => nfc(s).trim())
    .pipe(z.string().min(1, message).max(max, `Tối đa ${max} ký tự.`));

export const DataRequestInputSchema = z
  .object({
    kind: z.enum(DATA_REQUEST_KINDS, { message: "Chọn loại yêu cầu." }),
    channel: z.enum(DATA_REQUEST_CHANNELS, { message: "Chọn cách yêu cầu được gửi đến." }),
    subjectName: text(200, "Nhập họ tên người yêu cầu."),
    subjectContact: text(254, "Nhập e-mail, số điện thoại hoặc địa chỉ để trả lời."),
    details: z
      .string()
      .max(4_000, "Nội dung tối đa 4.000 ký tự.")
      .transform((s) => nfc(s).trim())
      .default(""),
    /** When it arrived (it may have come by post days ago): an ISO time, not in the future. */
    receivedAt: z.iso.datetime({ offset: true, message: "Thời điểm nhận không hợp lệ." }).optional(),
    tipCode: z.string().max(40).optional(),
  })
  .strict();

export const DataRequestAckSchema = z
  .object({
    version: z.number().int().min(1),
    note: text(2_000, "Ghi nội dung phản hồi lần đầu đã gửi cho người yêu cầu."),
  })
  .strict();

export const DataRequestAnswerSchema = z
  .object({
    version: z.number().int().min(1),
    outcome: z.enum(DATA_REQUEST_OUTCOMES, { message: "Chọn kết quả giải quyết." }),
    answer: text(4_000, "Ghi nội dung trả lời (và căn cứ pháp lý nếu từ chối)."),
  })
  .strict();

export interface DataRequestRepository {
  create(request: DataRequest): Promise<void>;
  get(id: string): Promise<DataRequest | null>;
  /** ConflictError when the stored version is not `expectedVersion`. */
  update(next: DataRequest, expectedVersion: number): Promise<void>;
  /** An office's requests, newest received first. */
  listOffice(agency: string, province: string, limit: number): Promise<DataRequest[]>;
  /** Answered requests answered before `before` (ISO), oldest first: the retention sweep's. */
  answeredBefore(before: string, limit: number): Promise<{ id: string }[]>;
  delete(id: string): Promise<void>;
}

export interface DataRequestDeps {
  requests: DataRequestRepository;
  tips: Pick<TipRepository, "byCodeHash" | "update" | "get">;
  clock: Clock;
  newId: () => string;
}

const parse = <S extends z.ZodType>(schema: S, raw: unknown) => parseInput(schema, raw, "data request");

export function createDataRequestService(deps: DataRequestDeps) {
  const { requests, clock } = deps;

  async function load(
    actor: Principal,
    id: string,
    action: "privacy.requests.read" | "privacy.requests.write" | "privacy.requests.answer",
  ) {
    const found = await requests.get(id);
    // Another office's request does not exist for the caller.
    if (!found || !can(actor, "privacy.requests.read", { agency: found.agency, provinces: [found.province] }))
      throw new NotFoundError("No such data request");
    authorize(actor, action, { agency: found.agency, provinces: [found.province] });
    return found;
  }

  function checkVersion(found: DataRequest, version: number) {
    if (found.version !== version)
      throw new ConflictError("The request changed since it was read: reload and try again");
  }

  return {
    async record(actor: Principal, raw: unknown): Promise<DataRequest> {
      authorize(actor, "privacy.requests.write");
      const input = parse(DataRequestInputSchema, raw);
      const now = clock.now();
      const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now;
      if (receivedAt.getTime() > now.getTime() + 60_000)
        throw new InvalidError("Invalid data request", [
          { field: "receivedAt", message: "Thời điểm nhận không được ở tương lai." },
        ]);
      let tipId: string | undefined;
      if (input.tipCode?.trim()) {
        // The tips' own reading of a tracking code: case, spaces and dashes as the tipster typed it.
        const tip = await findTipByCode(deps.tips, input.tipCode);
        if (!tip || !can(actor, "privacy.requests.write", { agency: tip.agency, provinces: [tip.province] }))
          throw new InvalidError("Invalid data request", [
            { field: "tipCode", message: "Không có phản ánh nào với mã theo dõi này thuộc đơn vị của bạn." },
          ]);
        tipId = tip.id;
      }
      const at = now.toISOString();
      const request: DataRequest = {
        id: deps.newId(),
        agency: actor.agency,
        province: actor.province,
        kind: input.kind,
        channel: input.channel,
        subjectName: input.subjectName,
        subjectContact: input.subjectContact,
        details: input.details,
        ...(tipId ? { tipId } : {}),
        receivedAt: receivedAt.toISOString(),
        ...dataRequestClocks(input.kind, receivedAt),
        state: "received",
        steps: [{ at, by: actorRef(actor), what: "recorded" }],
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      await requests.create(request);
      return request;
    },

    async list(actor: Principal): Promise<DataRequest[]> {
      authorize(actor, "privacy.requests.read");
      return requests.listOffice(actor.agency, actor.province, 200);
    },

    get: (actor: Principal, id: string) => load(actor, id, "privacy.requests.read"),

    /** The first response given to the requester (its content as sent): stops the 2-working-day clock. */
    async acknowledge(actor: Principal, id: string, raw: unknown): Promise<DataRequest> {
      const input = parse(DataRequestAckSchema, raw);
      const found = await load(actor, id, "privacy.requests.write");
      checkVersion(found, input.version);
      if (found.state !== "received")
        throw new ConflictError("A first response was already recorded for this request");
      const at = clock.now().toISOString();
      const next: DataRequest = {
        ...found,
        state: "acknowledged",
        acknowledgedAt: at,
        acknowledgement: input.note,
        steps: [...found.steps, { at, by: actorRef(actor), what: "acknowledged" }],
        updatedAt: at,
        version: found.version + 1,
      };
      await requests.update(next, found.version);
      return next;
    },

    /**
     * The answer (a lead's): fulfilled, partly, or refused with its legal reason. A deletion or a
     * withdrawal fulfilled on a tip erases the tipster's contact and address there and then; what the law
     * keeps (a pledge, its audit trail, the evidence under Object Lock) is refused in the answer's words.
     */
    async answer(actor: Principal, id: string, raw: unknown): Promise<DataRequest> {
      const input = parse(DataRequestAnswerSchema, raw);
      const found = await load(actor, id, "privacy.requests.answer");
      checkVersion(found, input.version);
      if (found.state === "answered") throw new ConflictError("This request was already answered");
      const now = clock.now();
      const at = now.toISOString();
      let erasedTipAt: string | undefined;
      const erases =
        (found.kind === "deletion" || found.kind === "withdrawal") && input.outcome !== "refused";
      if (erases && found.tipId) {
        const tip = await deps.tips.get(found.tipId);
        if (tip && (tip.contact || tip.addressHash)) await deps.tips.update(erasedTip(tip, now), tip.version);
        erasedTipAt = at;
      }
      const next: DataRequest = {
        ...found,
        state: "answered",
        // An answer given at once is the first response too.
        acknowledgedAt: found.acknowledgedAt ?? at,
        answeredAt: at,
        outcome: input.outcome,
        answer: input.answer,
        ...(erasedTipAt ? { erasedTipAt } : {}),
        steps: [...found.steps, { at, by: actorRef(actor), what: "answered" }],
        updatedAt: at,
        version: found.version + 1,
      };
      await requests.update(next, found.version);
      return next;
    },
  };
}

export type DataRequestService = ReturnType<typeof createDataRequestService>;
