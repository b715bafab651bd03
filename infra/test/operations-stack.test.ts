import { App, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../lib/app";
import { DEFAULT_ALARM_TOPIC } from "../lib/operations-stack";
import {
  actions,
  cdkJsonContext,
  policyStatements,
  removeTempDirs,
  synthWithReport,
  tempOutdir,
} from "./support";

afterAll(removeTempDirs);

/** The app with extra context (as `cdk deploy -c key=value` gives), functions not bundled. */
function appWith(context: Record<string, unknown> = {}) {
  return buildApp(
    new App({
      outdir: tempOutdir("ops"),
      context: {
        ...cdkJsonContext(),
        "@aws-cdk/core:appMode": "inmemory",
        "aws:cdk:bundling-stacks": [],
        ...context,
      },
    }),
  );
}

describe("operations: alarms, the custom domain, the sender identity, token validity", () => {
  it("alarms on every dead-letter queue and on each function's errors and throttles, to one encrypted topic", () => {
    const built = appWith();
    const ops = Template.fromStack(built.operations);
    ops.hasResourceProperties("AWS::SNS::Topic", {
      TopicName: DEFAULT_ALARM_TOPIC,
      KmsMasterKeyId: Match.anyValue(),
    });
    const alarms = Object.values(ops.findResources("AWS::CloudWatch::Alarm")) as {
      Properties: { AlarmName: string; MetricName: string; Namespace: string; AlarmActions: unknown[] };
    }[];
    const names = alarms.map((a) => a.Properties.AlarmName).sort();
    expect(names).toEqual(
      [
        "pledgewatch-api-errors",
        "pledgewatch-api-throttles",
        "pledgewatch-capture-dead-letters",
        "pledgewatch-capture-errors",
        "pledgewatch-capture-throttles",
        "pledgewatch-dispatch-errors",
        "pledgewatch-dispatch-throttles",
        "pledgewatch-jobs-dead-letters",
        "pledgewatch-jobs-errors",
        "pledgewatch-jobs-throttles",
      ].sort(),
    );
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    const deadLetters = alarms.filter((a) => a.Properties.AlarmName.endsWith("dead-letters"));
    expect(deadLetters.map((a) => [a.Properties.Namespace, a.Properties.MetricName])).toEqual([
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible"],
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible"],
    ]);
    // CloudWatch may use the topic's key.
    expect(JSON.stringify(ops.findResources("AWS::KMS::Key"))).toContain("cloudwatch.amazonaws.com");
    expect(ops.findResources("AWS::SNS::Subscription")).toEqual({});
  });

  it("names the topic and subscribes an address from the context", () => {
    const ops = Template.fromStack(
      appWith({
        "pledgewatch:alarmTopicName": "ninhbinh-alarms",
        "pledgewatch:alarmEmail": "trucban@example.vn",
      }).operations,
    );
    ops.hasResourceProperties("AWS::SNS::Topic", { TopicName: "ninhbinh-alarms" });
    ops.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "trucban@example.vn",
    });
  });

  it("creates the custom domain with its certificate when the context names one, and refuses a public URL elsewhere", () => {
    const plain = Template.fromStack(appWith().api);
    expect(plain.findResources("AWS::ApiGatewayV2::DomainName")).toEqual({});
    const api = Template.fromStack(
      appWith({
        "pledgewatch:domainName": "camket.ninhbinh.gov.vn",
        "pledgewatch:publicBaseUrl": "https://camket.ninhbinh.gov.vn",
      }).api,
    );
    api.hasResourceProperties("AWS::CertificateManager::Certificate", {
      DomainName: "camket.ninhbinh.gov.vn",
      ValidationMethod: "DNS",
    });
    api.hasResourceProperties("AWS::ApiGatewayV2::DomainName", { DomainName: "camket.ninhbinh.gov.vn" });
    api.resourceCountIs("AWS::ApiGatewayV2::ApiMapping", 1);
    expect(() => appWith({ "pledgewatch:domainName": "camket.ninhbinh.gov.vn" })).toThrow(
      /pledgewatch:publicBaseUrl is https:\/\/camket\.example\.gov\.vn: set it to https:\/\/camket\.ninhbinh\.gov\.vn/,
    );
  });

  it("creates the sender domain's SES identity on request, and keeps Cognito tokens within the session", () => {
    expect(Template.fromStack(appWith().stateful).findResources("AWS::SES::EmailIdentity")).toEqual({});
    const stateful = Template.fromStack(appWith({ "pledgewatch:createMailIdentity": "true" }).stateful);
    stateful.hasResourceProperties("AWS::SES::EmailIdentity", {
      EmailIdentity: "pledgewatch.example.gov.vn",
    });
    stateful.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 480,
      TokenValidityUnits: { IdToken: "minutes", AccessToken: "minutes", RefreshToken: "minutes" },
    });
    const api = Template.fromStack(appWith().api);
    api.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ SESSION_TTL_SECONDS: "28800" }) },
    });
  });

  it("passes cdk-nag's AwsSolutions checks with every optional resource on", () => {
    const built = appWith({
      "pledgewatch:domainName": "camket.ninhbinh.gov.vn",
      "pledgewatch:publicBaseUrl": "https://camket.ninhbinh.gov.vn",
      "pledgewatch:createMailIdentity": "true",
      "pledgewatch:alarmEmail": "trucban@example.vn",
    });
    Validations.of(built.app).addPlugins(new AwsSolutionsChecks(built.app));
    const { error, report } = synthWithReport(built.app);
    const errors = report.pluginReports
      .flatMap((plugin) => plugin.violations)
      .filter((v) => v.severity === "error")
      .map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(", ")}`);
    expect(report.pluginReports.map((plugin) => plugin.pluginName)).toContain(new AwsSolutionsChecks().name);
    expect(errors).toEqual([]);
    expect(error).toBeUndefined();
  });

  it("lets the API function alone sign staff in, and the API and jobs functions read the staff directory", () => {
    const built = appWith();
    const cognitoActions = (template: Template) =>
      policyStatements(template)
        .filter((statement) => actions(statement).some((a) => a.startsWith("cognito-idp:")))
        .flatMap((statement) => actions(statement))
        .sort();
    expect(cognitoActions(Template.fromStack(built.api))).toEqual([
      "cognito-idp:AdminGetUser",
      "cognito-idp:AdminInitiateAuth",
      "cognito-idp:AdminListGroupsForUser",
      "cognito-idp:AdminRespondToAuthChallenge",
      "cognito-idp:ListUsers",
      "cognito-idp:ListUsersInGroup",
    ]);
    // The jobs function reads the staff directory (digests), nothing else of the pool.
    expect(cognitoActions(Template.fromStack(built.workers))).toEqual([
      "cognito-idp:ListUsers",
      "cognito-idp:ListUsersInGroup",
    ]);
    expect(cognitoActions(Template.fromStack(built.capture))).toEqual([]);
  });

  it("writes no request path to the API Gateway access log (signing and takedown links carry tokens)", () => {
    const api = Template.fromStack(appWith().api);
    const stages = Object.values(api.findResources("AWS::ApiGatewayV2::Stage")) as {
      Properties: { AccessLogSettings: { Format: string } };
    }[];
    expect(stages).toHaveLength(1);
    const format = stages[0]?.Properties.AccessLogSettings.Format ?? "";
    expect(format).toContain("$context.requestId");
    expect(format).not.toMatch(/\$context\.(path|resourcePath|routeKey)/);
  });
});
