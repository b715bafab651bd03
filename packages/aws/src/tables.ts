/**
 * The one definition of every DynamoDB table: read by the CDK app (infra/) to declare the tables and by
 * the local runtime (packages/local) to create them in DynamoDB Local. Plain data, no SDK import, so
 * both sides can use it.
 *
 * Key design (single table, access patterns first):
 *   staff account          pk STAFF#<id>                       sk STAFF
 *   staff email (unique)   pk STAFFEMAIL#<email>               sk STAFFEMAIL          → staffId
 *   staff by scope         gsi1pk STAFFSCOPE#<agency>#<prov>   gsi1sk <email>
 *   session                pk SESSION#<sha256(token)>          sk SESSION             ttl
 *     by staff member      gsi1pk SESSIONS#<staff id>          gsi1sk <sha256(token)>   (sign-out everywhere)
 *   pending sign-in        pk SIGNIN#<sha256(token)>           sk SIGNIN              ttl
 *   attempt counter        pk ATTEMPT#<key>                    sk <window start>      ttl
 *   party                  pk PARTY#<id>                       sk PARTY
 *   party in a province    pk PARTY#<id>                       sk PROV#<code>
 *     list by agency × province × group: gsi1pk PARTIES#<agency>#<prov>  gsi1sk <group>#<name>#<id>
 *   party identifier claim pk PARTYKEY#<key>                    sk CLAIM               → partyId
 *   party search entry     gsi2pk PSEARCH#<agency>#<2 letters>  gsi2sk <suffix>#<id>
 *     on the party item (first suffix), on the claims (next ones), else pk PARTY#<id> sk TOK#<suffix>
 *   party history          pk PARTY#<id>                       sk HIST#<time>#<rand>
 *   invitations, pledges, public registry entries, audit chains: see signing-repository.ts
 *   coverage, live       pk COVLIVE                          sk <agency>#<family>#<prov>   obligated (N)
 *   coverage, quarter    pk COVQ#<quarter>                   sk <agency>#<family>#<prov>   signed (N), obligated once frozen
 *   quarter frozen       pk COVQ#<quarter>                   sk CLOSED              closedAt
 *     counters change in the transaction of the party or pledge write that changes them (coverage-counters.ts)
 *   renewal settings     pk RENEWALSET                       sk <prov>
 *   once-only mark       pk MARK#<ROLLOVER|DAILY|RECONCILE|REMIND|DIGEST#…>  sk MARK   at
 *   reconciliation       pk COVRECON                         sk <at>#<id>
 *   coverage report      pk REPORT#<id>                      sk REPORT
 *     newest first: gsi1pk REPORTS  gsi1sk <requestedAt>#<id>
 *   local e-mail outbox    pk OUTBOX                           sk <time>-<id>         ttl
 *   flagging rule set      pk RULESET                          sk HEAD                → current version
 *   rule-set version       pk RULESET                          sk V#<version>         (immutable)
 *   rule history           pk RULE#<rule id>                   sk V#<rule version>
 *   evaluation             pk EVAL#<item id>                   sk EVAL                (latest decision)
 *   re-evaluation run      pk REEVAL                           sk V#<rule-set version>  (rule-repository.ts)
 *     newest by agency: gsi1pk EVALS#<agency|none>  gsi1sk <time>#<item id>
 *     newest of all:    gsi2pk EVALS                gsi2sk <time>#<item id>   (see rule-repository.ts)
 *   review case            pk CASE#<item id>                   sk CASE
 *     queue: gsi1pk CASEQ#<agency>#<prov>#<state>  gsi1sk <priority key>#<id>; party: gsi2pk CASEPARTY#<id>
 *   case log entry         pk CASE#<item id>                   sk LOG#<version>#<seq>  (append-only)
 *   takedown request       pk TAKEDOWN#<id>                    sk TAKEDOWN
 *     token: gsi1pk TDTOKEN#<sha256>; due: gsi2pk TAKEDOWNDUE gsi2sk <nextCheckAt>#<id> (case-repository.ts)
 *   monitoring: in a table of its own (MONITORING_TABLE below)
 *   case log by office     gsi1pk CASELOG#<agency>#<prov>#<yyyy-mm>  gsi1sk <at>#<case>#<version>#<seq>
 *     on every case log entry item, for metrics and reports (case-log-index.ts)
 *   review report          pk RREPORT#<id>                     sk RREPORT
 *     an office's: gsi1pk RREPORTS#<agency>#<prov>; every office's: gsi2pk RREPORTS (review-report-repository.ts)
 *   public tip             pk TIP#<id>                         sk TIP
 *   tip tracking code      pk TIPCODE#<sha256(code)>           sk TIPCODE             → tipId
 *   tips of a URL, a day   pk TIPURL#<urlKey>                  sk DAY#<date>          ttl
 *   tip form HMAC secret   pk TIPSECRET                        sk TIPSECRET           (tip-repository.ts)
 *     tips holding personal data: gsi1pk TIPPERSONAL  gsi1sk <createdAt>#<id>   (retention sweep)
 *   data subject request   pk DSR#<id>                         sk DSR
 *     an office's: gsi1pk DSRS#<agency>#<prov>; answered: gsi2pk DSRANSWERED (data-request-repository.ts)
 */
export interface KeyAttribute {
  name: string;
  type: "S" | "N";
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
}

export interface TableDefinition {
  /** Logical id in CDK and the table name suffix locally. */
  id: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  globalSecondaryIndexes: IndexDefinition[];
  timeToLiveAttribute?: string;
}

/**
 * The key schema both tables share: generic pk/sk, two generic indexes, a TTL attribute. Each
 * repository writes its own key shapes into them (the comment above, monitoring-repository.ts).
 */
const GENERIC_KEYS: Omit<TableDefinition, "id"> = {
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  globalSecondaryIndexes: (["gsi1", "gsi2"] as const).map((indexName) => ({
    indexName,
    partitionKey: { name: `${indexName}pk`, type: "S" as const },
    sortKey: { name: `${indexName}sk`, type: "S" as const },
  })),
  timeToLiveAttribute: "ttl",
};

export const MAIN_TABLE: TableDefinition = { id: "main", ...GENERIC_KEYS };

/**
 * Monitoring's table: crawl targets, capture jobs, URL locks, captures, captured items and host politeness
 * (keys in monitoring-repository.ts; targets due: gsi2pk TARGETDUE; open jobs: gsi1pk CAPJOBS#OPEN). Apart
 * from the main table so that the capture worker and the dispatcher, which read hostile pages, hold a
 * grant on this table only: no staff, session, party, pledge, signing or audit item is within their reach.
 */
export const MONITORING_TABLE: TableDefinition = { id: "monitoring", ...GENERIC_KEYS };

export const TABLES: readonly TableDefinition[] = [MAIN_TABLE, MONITORING_TABLE];

/** The physical names of the tables a platform uses. */
export interface TableNames {
  main: string;
  monitoring: string;
}
