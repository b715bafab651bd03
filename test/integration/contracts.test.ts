import {
  attemptCounterContract,
  caseRepositoryContract,
  coverageRepositoryContract,
  partyRepositoryContract,
  pendingSignInStoreContract,
  signingRepositoryContract,
  staffRepositoryContract,
} from "@pledgewatch/core/testing";
import { createRepositories } from "@pledgewatch/platform";
import { createTestTables } from "../support/platform";

// The DynamoDB adapters held to the ports' contracts, each on fresh tables; the in-memory repositories
// the use cases' unit tests run on are held to the same ones (packages/core/src/testing/memory.test.ts).
const fresh = async () => {
  const { clients, tables } = await createTestTables();
  return createRepositories(clients, tables);
};

partyRepositoryContract("DynamoDB", async () => (await fresh()).parties);
signingRepositoryContract("DynamoDB", async () => (await fresh()).signing);
caseRepositoryContract("DynamoDB", async () => (await fresh()).cases);
coverageRepositoryContract("DynamoDB", async () => (await fresh()).coverage);
staffRepositoryContract("DynamoDB", async () => (await fresh()).staff);
attemptCounterContract("DynamoDB", async () => (await fresh()).attempts);
pendingSignInStoreContract("DynamoDB", async () => (await fresh()).pendingSignIns);
