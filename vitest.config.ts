import { defineConfig } from "vitest/config";

// One config, five projects, run one after another by `npm test` (see package.json):
// unit (pure, fast), integration (DynamoDB Local), infra (CDK synth + cdk-nag), e2e (real Chromium),
// deployed (the Lambda bundles against AWS stand-ins).
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "hono/jsx" },
  test: {
    // The SDK's notice about its Node floor is for old Nodes; README "Quick start" states the Node to use.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.{ts,tsx}", "functions/**/*.test.ts"],
          // Worker threads start faster than forked processes: the unit run stays well under a minute on
          // 2 cores (docs/benchmarks.md). Nothing in it needs a process of its own.
          pool: "threads",
          // The Lambda entry point's smoke test imports the whole app on first use: seconds on a busy
          // 2-core machine, past vitest's 5 s default.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/support/dynamo-global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "infra",
          include: ["infra/test/**/*.test.ts"],
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser and one platform at a time on a 2-core machine.
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        extends: true,
        test: {
          // The deployed shape: each function's bundle from a fresh `cdk synth`, run in a Lambda-like
          // harness against AWS stand-ins (test/deployed/harness), all started once by the global setup.
          name: "deployed",
          include: ["test/deployed/**/*.test.ts"],
          globalSetup: ["test/deployed/harness/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
