#!/usr/bin/env node
// `npx pledgewatch <command>`: the workspace has no build step, so the TypeScript sources are loaded
// through tsx's loader (a dependency of this package), the same way `npm start` runs them.
import { register } from "tsx/esm/api";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
