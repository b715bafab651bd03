// Runs cognito-local (Cognito user pools) in its own process: it keeps its state under the working
// directory (.cognito), which is a temporary folder the harness makes. PORT and HOST set its address.
const from = { paths: [require.resolve("cognito-local")] };
const { createDefaultServer } = require(require.resolve("cognito-local/lib/server/defaults", from));
const pino = require(require.resolve("pino", from));
const express = require(require.resolve("express", from));

// One answer corrected to Cognito's: a wrong password at sign-in is NotAuthorizedException ("Incorrect
// username or password."); cognito-local answers InvalidPasswordException, which Cognito keeps for a new
// password that breaks the policy.
const SIGN_IN = new Set([
  "AWSCognitoIdentityProviderService.AdminInitiateAuth",
  "AWSCognitoIdentityProviderService.InitiateAuth",
]);
const json = express.response.json;
express.response.json = function (body) {
  if (body?.__type === "InvalidPasswordException" && SIGN_IN.has(this.req?.headers["x-amz-target"])) {
    return json.call(this, { __type: "NotAuthorizedException", message: "Incorrect username or password." });
  }
  return json.call(this, body);
};

const logger = pino({ level: process.env.DEBUG ? "debug" : "warn" });
createDefaultServer(logger)
  .then((server) => server.start())
  .then((server) => {
    const address = server.address();
    process.send?.({ ready: true, port: address.port });
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
