import { createRequire } from "node:module";
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  ApiMapping,
  DomainName,
  HttpApi,
  type HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { Certificate, CertificateValidation } from "aws-cdk-lib/aws-certificatemanager";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { NodeFunction } from "./constructs/node-function";
import { documentFontBundleFiles } from "./fonts";
import { fromRoot } from "./paths";
import {
  bindPlatform,
  DOMAIN_NAME_CONTEXT,
  PUBLIC_BASE_URL_CONTEXT,
  resolvePublicBaseUrl,
  STAFF_DIRECTORY_ACTIONS,
} from "./platform";
import type { StatefulResources } from "./stateful-stack";

/** Files of swagger-ui-dist that packages/web serves from `${LAMBDA_TASK_ROOT}/swagger-ui/` in Lambda. */
export const SWAGGER_UI_FILES = ["swagger-ui.css", "swagger-ui-bundle.js"] as const;

/** Resolves a swagger-ui-dist file the way packages/web does at run time (Node resolution from that package). */
function swaggerUiFile(name: string): string {
  return createRequire(fromRoot("packages", "web", "package.json")).resolve(`swagger-ui-dist/${name}`);
}

/** Default-stage throttling: well above a provincial office's traffic, low enough to cap a runaway client. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

export interface ApiStackProps extends StackProps {
  resources: StatefulResources;
  /** Value of STAGE in the function. @default "aws" */
  stage?: string;
  /** Sender address of e-mail. @default the `pledgewatch:mailFrom` context (cdk.json) */
  mailFrom?: string;
}

/**
 * The stateless HTTP side: the API function behind an API Gateway HTTP API. The function enqueues
 * background tasks on the jobs queue; WorkersStack runs them.
 */
export class ApiStack extends Stack {
  readonly api: NodeFunction;
  readonly httpApi: HttpApi;
  readonly httpStage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The custom domain, when `pledgewatch:domainName` is set. */
  readonly domain?: DomainName;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    this.api = bindPlatform(
      new NodeFunction(this, "Api", {
        entry: fromRoot("functions", "api.ts"),
        description: "Pledgewatch API and console (Hono)",
        // API Gateway gives up after 30 s.
        timeout: Duration.seconds(29),
        copyFiles: [
          ...SWAGGER_UI_FILES.map((name) => ({ from: swaggerUiFile(name), to: `swagger-ui/${name}` })),
          // The pledge PDF's fonts, read from `${LAMBDA_TASK_ROOT}/fonts/` by packages/documents.
          ...documentFontBundleFiles(),
        ],
      }),
      props.resources,
      // The health check (GET /health) describes the table.
      { stage: props.stage, describeTable: true, mailFrom: props.mailFrom, readDeadLetters: true },
    );

    // Large uploads: the function signs POST policies for uploads/* (the policy's signer needs PutObject)
    // and reads and deletes each file once.
    this.api.function.role?.addManagedPolicy(props.resources.uploadsInboxPolicy);
    this.api.function.addEnvironment("UPLOADS_BUCKET", props.resources.uploadsBucket.bucketName);

    // Sessions re-read their Cognito user every few minutes (a disabled or demoted user loses access):
    // the API function alone signs staff in (AdminInitiateAuth, and AdminRespondToAuthChallenge for a new
    // password or an authenticator code), reads users and their groups, and writes nothing else in the
    // pool. An authenticator's enrolment is authorized by the user's own access token, not by the role.
    props.resources.userPool.grant(
      this.api.function,
      "cognito-idp:AdminInitiateAuth",
      "cognito-idp:AdminRespondToAuthChallenge",
      "cognito-idp:AdminGetUser",
      "cognito-idp:AdminListGroupsForUser",
      // The staff directory: the console's staff list and "assign to a colleague".
      ...STAFF_DIRECTORY_ACTIONS,
    );

    this.accessLogs = new LogGroup(this, "ApiAccessLogs", {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.httpApi = new HttpApi(this, "HttpApi", {
      description: "Pledgewatch public pages, staff console and API",
      // `$default` route: every method and path goes to the function, which routes and authorizes.
      defaultIntegration: new HttpLambdaIntegration("ApiIntegration", this.api.function),
      createDefaultStage: false,
    });
    this.httpStage = this.httpApi.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: API_THROTTLE,
      // No path in the access log: signing and takedown links carry their token in it. The function's own
      // request log has the path with those tokens redacted, under the same request id.
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            time: "$context.requestTime",
            ip: "$context.identity.sourceIp",
            userAgent: "$context.identity.userAgent",
            method: "$context.httpMethod",
            protocol: "$context.protocol",
            status: "$context.status",
            responseLength: "$context.responseLength",
            latency: "$context.responseLatency",
            integrationLatency: "$context.integrationLatency",
            integrationError: "$context.integrationErrorMessage",
          }),
        ),
      },
    });

    // The one route, created by `defaultIntegration`.
    Validations.of(this.httpApi.node.findChild("DefaultRoute")).acknowledge({
      id: "AwsSolutions::AwsSolutions-APIG4",
      reason:
        "Authorization is done by the app: sessions and Cognito JWTs are verified in the Lambda function. The single $default route also serves /health and the public pages, which must stay open.",
    });

    // The custom domain, when the context names one: its certificate (DNS-validated: the operator adds the
    // validation record ACM shows), the API's domain and the mapping to the stage. PUBLIC_BASE_URL must be
    // that domain, or e-mailed links would point elsewhere.
    const domainName = this.node.tryGetContext(DOMAIN_NAME_CONTEXT) as unknown;
    if (typeof domainName === "string" && domainName.trim()) {
      const name = domainName.trim().toLowerCase();
      const publicUrl = resolvePublicBaseUrl(this);
      if (new URL(publicUrl).host !== name) {
        throw new Error(
          `${DOMAIN_NAME_CONTEXT} is ${name} but ${PUBLIC_BASE_URL_CONTEXT} is ${publicUrl}: set it to https://${name}`,
        );
      }
      const certificate = new Certificate(this, "DomainCertificate", {
        domainName: name,
        validation: CertificateValidation.fromDns(),
      });
      this.domain = new DomainName(this, "Domain", { domainName: name, certificate });
      new ApiMapping(this, "DomainMapping", {
        api: this.httpApi,
        domainName: this.domain,
        stage: this.httpStage,
      });
      new CfnOutput(this, "DomainCnameTarget", {
        description: `Point ${name} (CNAME) at this name`,
        value: this.domain.regionalDomainName,
      });
    }

    new CfnOutput(this, "ApiUrl", { value: this.httpStage.url });
  }
}
