import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { buildApp } from "../lib/app";

const app = new App();
buildApp(app);
// cdk-nag 3 is a policy-validation plugin: it runs after synthesis and its findings land in
// cdk.out/validation-report.json; unacknowledged errors fail `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
