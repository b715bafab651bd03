import {
  createDynamoAttemptCounter,
  createDynamoCaseLogIndex,
  createDynamoCaseRepository,
  createDynamoCoverageRepository,
  createDynamoDataRequestRepository,
  createDynamoEvaluationRepository,
  createDynamoImportRepository,
  createDynamoMonitoringRepository,
  createDynamoPartyRepository,
  createDynamoPendingSignInStore,
  createDynamoReviewReportRepository,
  createDynamoRuleRepository,
  createDynamoSessionStore,
  createDynamoSigningRepository,
  createDynamoStaffRepository,
  createDynamoTipRepository,
  type DynamoClients,
  type TableNames,
} from "@pledgewatch/aws";

/**
 * Every repository of the platform over its DynamoDB tables: monitoring's on the monitoring table, every
 * other on the main one. The platform builds its own; tests and benchmarks that must read what was stored
 * build theirs over the same tables — the platform hands none out.
 */
export function createRepositories(dynamo: DynamoClients, tables: TableNames) {
  const tableName = tables.main;
  const { doc } = dynamo;
  return {
    staff: createDynamoStaffRepository(doc, tableName),
    parties: createDynamoPartyRepository(doc, tableName),
    imports: createDynamoImportRepository(doc, tableName),
    sessions: createDynamoSessionStore(doc, tableName),
    pendingSignIns: createDynamoPendingSignInStore(doc, tableName),
    attempts: createDynamoAttemptCounter(doc, tableName),
    signing: createDynamoSigningRepository(doc, tableName),
    rules: createDynamoRuleRepository(doc, tableName),
    evaluations: createDynamoEvaluationRepository(doc, tableName),
    cases: createDynamoCaseRepository(doc, tableName),
    caseLog: createDynamoCaseLogIndex(doc, tableName),
    coverage: createDynamoCoverageRepository(doc, tableName),
    monitoring: createDynamoMonitoringRepository(doc, tables.monitoring),
    tips: createDynamoTipRepository(doc, tableName),
    reviewReports: createDynamoReviewReportRepository(doc, tableName),
    dataRequests: createDynamoDataRequestRepository(doc, tableName),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
