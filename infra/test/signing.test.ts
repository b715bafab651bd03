import { existsSync } from "node:fs";
import type { CfnResource, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FONT_FILES } from "../../packages/documents/src/fonts";
import { buildApp, type PledgewatchApp } from "../lib/app";
import { DOCUMENT_FONT_FILES, documentFontPath } from "../lib/fonts";
import { DEFAULT_MAIL_FROM, MAIL_FROM_CONTEXT, mailDomain, resolveMailFrom } from "../lib/platform";
import {
  actions,
  cdkJsonContext,
  policyStatements,
  removeTempDirs,
  type Statement,
  testApp,
} from "./support";

// Templates only (no bundling): what the API and jobs functions get for pledge signing. The bundled fonts
// are checked in api-stack.test.ts and workers-stack.test.ts.

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

let built: PledgewatchApp;
let stacks: { name: string; stack: Stack; template: Template }[];

afterAll(removeTempDirs);

beforeAll(() => {
  built = buildApp(testApp("signing", { bundling: false }));
  stacks = [
    { name: "API", stack: built.api, template: Template.fromStack(built.api) },
    { name: "jobs", stack: built.workers, template: Template.fromStack(built.workers) },
  ];
});

function statefulId(construct: { node: { defaultChild?: unknown } }): string {
  return built.stateful.getLogicalId(construct.node.defaultChild as CfnResource);
}

function onlyFunction(template: Template): Resource {
  const functions = Object.values(template.findResources("AWS::Lambda::Function")) as Resource[];
  expect(functions).toHaveLength(1);
  return functions[0] as Resource;
}

function variables(template: Template): Record<string, unknown> {
  return (onlyFunction(template).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

const configuredMailFrom = cdkJsonContext()[MAIL_FROM_CONTEXT];

describe("sender address", () => {
  it("comes from cdk.json's pledgewatch:mailFrom context, a bare address", () => {
    expect(typeof configuredMailFrom).toBe("string");
    expect(mailDomain(configuredMailFrom as string)).toBe("pledgewatch.example.gov.vn");
    expect(resolveMailFrom(built.api)).toBe(configuredMailFrom);
  });

  it("may be overridden by stack props, falls back to the default, and must be a bare address", () => {
    expect(resolveMailFrom(built.api, "thu@qltt.gov.vn")).toBe("thu@qltt.gov.vn");
    const noContext = testApp("signing-no-context");
    noContext.node.setContext(MAIL_FROM_CONTEXT, undefined);
    expect(resolveMailFrom(noContext)).toBe(DEFAULT_MAIL_FROM);
    for (const bad of [
      "Pledgewatch <no-reply@x.gov.vn>",
      "no-reply",
      "a@b",
      "a@x.vn\r\nBcc: c@y.vn",
      "a@x.vn,b@y.vn",
    ]) {
      expect(() => resolveMailFrom(built.api, bad), bad).toThrow(/bare address/);
    }
  });
});

describe.each(["API", "jobs"])("%s function", (name) => {
  const current = () => {
    const found = stacks.find((s) => s.name === name);
    if (!found) throw new Error(`no ${name} stack`);
    return found;
  };

  it("gets the documents bucket, sender and configuration set in its environment (the seal secret: API only)", () => {
    const env = variables(current().template);
    expect(JSON.stringify(env.DOCUMENTS_BUCKET)).toContain(statefulId(built.stateful.documentsBucket));
    if (name === "API")
      expect(JSON.stringify(env.SEAL_SECRET_ID)).toContain(statefulId(built.stateful.sealCredentialsSecret));
    else expect(env.SEAL_SECRET_ID).toBeUndefined();
    expect(JSON.stringify(env.MAIL_CONFIGURATION_SET)).toContain(
      statefulId(built.stateful.mailConfigurationSet),
    );
    expect(env.MAIL_FROM).toBe(configuredMailFrom);
    // Links in e-mails and the QR code point at the public site, set in cdk.json.
    expect(env.PUBLIC_BASE_URL).toBe("https://camket.example.gov.vn");
  });

  it("reaches the documents only through the write-once policy: no S3 statement of its own, no delete", () => {
    const { template } = current();
    // The function's role (the workers' scheduler has its own, which may only send to the jobs queue).
    const roles = (Object.values(template.findResources("AWS::IAM::Role")) as Resource[]).filter(
      (r) => !JSON.stringify(r).includes("scheduler.amazonaws.com"),
    );
    expect(roles).toHaveLength(1);
    expect(JSON.stringify(roles[0]?.Properties.ManagedPolicyArns)).toContain(
      statefulId(built.stateful.documentsWriteOncePolicy),
    );
    const s3 = policyStatements(template).filter((s) => actions(s).some((a) => a.startsWith("s3:")));
    expect(s3).toEqual([]);
  });

  it("may read the seal secret and no other if it is the API function; the jobs function no secret at all", () => {
    const onSecret = policyStatements(template()).filter((s) =>
      actions(s).some((a) => a.startsWith("secretsmanager:")),
    );
    if (name === "jobs") {
      // A renderer or task exploit in the background cannot forge a sealed pledge (issue 19, item 2).
      expect(onSecret).toEqual([]);
      return;
    }
    expect(onSecret).toHaveLength(1);
    expect(actions(onSecret[0] as Statement)).toContain("secretsmanager:GetSecretValue");
    expect(
      actions(onSecret[0] as Statement).filter((a) => !/^secretsmanager:(Get|Describe)/.test(a)),
    ).toEqual([]);
    expect(JSON.stringify(onSecret[0]?.Resource)).toContain(statefulId(built.stateful.sealCredentialsSecret));
  });

  it("may send e-mail only as the sender's domain identity, through the configuration set", () => {
    const ses = policyStatements(template()).filter((s) => actions(s).some((a) => a.startsWith("ses:")));
    expect(ses).toHaveLength(1);
    const statement = ses[0] as Statement;
    expect(actions(statement).sort()).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
    const resources = [statement.Resource].flat().map((r) => JSON.stringify(r));
    expect(resources).toHaveLength(2);
    const identity = resources.find((r) => r.includes(":identity/"));
    expect(identity).toContain('":identity/pledgewatch.example.gov.vn"');
    expect(identity).toContain('{"Ref":"AWS::AccountId"}');
    const configurationSet = resources.find((r) => r.includes(":configuration-set/"));
    expect(configurationSet).toContain(statefulId(built.stateful.mailConfigurationSet));
    expect(resources.join()).not.toContain("*");
  });

  function template(): Template {
    return current().template;
  }
});

describe("fonts of the documents", () => {
  it("infra copies the files packages/documents reads (FONT_FILES), which exist", () => {
    expect(DOCUMENT_FONT_FILES.map(({ specifier, file }) => ({ specifier, file }))).toEqual(
      FONT_FILES.map(({ specifier, file }) => ({ specifier, file })),
    );
    for (const { specifier, file } of DOCUMENT_FONT_FILES) {
      const path = documentFontPath(specifier);
      expect(path.endsWith(file)).toBe(true);
      expect(existsSync(path)).toBe(true);
    }
  });
});
