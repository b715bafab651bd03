import {
  attemptCounterContract,
  caseRepositoryContract,
  coverageRepositoryContract,
  partyRepositoryContract,
  pendingSignInStoreContract,
  signingRepositoryContract,
  staffRepositoryContract,
} from "./contracts";
import {
  createMemoryAttemptCounter,
  createMemoryCaseRepository,
  createMemoryCoverageRepository,
  createMemoryPartyRepository,
  createMemoryPendingSignInStore,
  createMemorySigningRepository,
  createMemoryStaffRepository,
} from "./memory";

// The in-memory repositories held to the ports' contracts; the DynamoDB adapters are held to the same
// ones in test/integration/contracts.test.ts.
partyRepositoryContract("in memory", async () => createMemoryPartyRepository());
signingRepositoryContract("in memory", async () => createMemorySigningRepository());
caseRepositoryContract("in memory", async () => createMemoryCaseRepository());
coverageRepositoryContract("in memory", async () => createMemoryCoverageRepository());
staffRepositoryContract("in memory", async () => createMemoryStaffRepository());
attemptCounterContract("in memory", async () => createMemoryAttemptCounter());
pendingSignInStoreContract("in memory", async () => createMemoryPendingSignInStore());
