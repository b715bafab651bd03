// Runs cognito-local (Cognito user pools) in its own process: it keeps its state under the working
// directory (.cognito), which is a temporary folder the harness makes. PORT and HOST set the address the
// harness is given; cognito-local itself listens on a private port behind a small front that corrects
// where it differs from Cognito in what the app relies on (docs/decisions.md, "The deployed shape on one
// machine"):
//
// - AdminInitiateAuth and AdminRespondToAuthChallenge run no challenges in cognito-local (no new
//   password, no TOTP), where Cognito runs the same ones as InitiateAuth and RespondToAuthChallenge. The
//   front sends the admin calls to the client-side ones, which do.
// - For a user in FORCE_CHANGE_PASSWORD cognito-local asks a new password without checking the temporary
//   one, and its client-side flow signs a disabled user in; Cognito refuses both (NotAuthorizedException).
//   The front checks them against the pool's stored user.
// - A wrong password at sign-in is NotAuthorizedException ("Incorrect username or password.") in Cognito;
//   cognito-local answers InvalidPasswordException, which Cognito keeps for a new password that breaks
//   the policy.
const { mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const http = require("node:http");
const { join } = require("node:path");

const from = { paths: [require.resolve("cognito-local")] };
const target = (name) => `AWSCognitoIdentityProviderService.${name}`;
const publicPort = Number(process.env.PORT);
const host = process.env.HOST ?? "127.0.0.1";

function storedUser(poolId, username) {
  try {
    const db = JSON.parse(readFileSync(join(process.cwd(), ".cognito", "db", `${poolId}.json`), "utf8"));
    const wanted = String(username).toLowerCase();
    return Object.values(db.Users ?? {}).find(
      (u) =>
        String(u.Username).toLowerCase() === wanted ||
        (u.Attributes ?? []).some((a) => a.Name === "email" && String(a.Value).toLowerCase() === wanted),
    );
  } catch {
    return undefined;
  }
}

/** The request cognito-local gets for one Cognito request: [target, body], or an answer to give at once. */
function translate(name, body) {
  if (name === target("AdminInitiateAuth") && body.AuthFlow === "ADMIN_USER_PASSWORD_AUTH") {
    const user = storedUser(body.UserPoolId, body.AuthParameters?.USERNAME);
    if (user?.Enabled === false) {
      return { answer: { __type: "NotAuthorizedException", message: "User is disabled." } };
    }
    if (user?.UserStatus === "FORCE_CHANGE_PASSWORD" && user.Password !== body.AuthParameters?.PASSWORD) {
      return { answer: { __type: "NotAuthorizedException", message: "Incorrect username or password." } };
    }
    return {
      name: target("InitiateAuth"),
      body: { AuthFlow: "USER_PASSWORD_AUTH", ClientId: body.ClientId, AuthParameters: body.AuthParameters },
    };
  }
  if (name === target("AdminRespondToAuthChallenge")) {
    const { UserPoolId: _pool, ...rest } = body;
    return { name: target("RespondToAuthChallenge"), body: rest };
  }
  return { name, body };
}

function forward(port, name, body, res, signIn) {
  const payload = Buffer.from(JSON.stringify(body));
  const req = http.request(
    {
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": name,
        "content-length": payload.length,
      },
    },
    (upstream) => {
      const chunks = [];
      upstream.on("data", (c) => chunks.push(c));
      upstream.on("end", () => {
        let text = Buffer.concat(chunks).toString("utf8");
        try {
          const json = JSON.parse(text);
          if (signIn && json?.__type === "InvalidPasswordException") {
            text = JSON.stringify({
              __type: "NotAuthorizedException",
              message: "Incorrect username or password.",
            });
          }
        } catch {
          // not JSON: passed on as it is
        }
        res.writeHead(upstream.statusCode ?? 500, {
          "content-type": upstream.headers["content-type"] ?? "application/json",
        });
        res.end(text);
      });
    },
  );
  req.on("error", (error) => {
    res.writeHead(502);
    res.end(String(error));
  });
  req.end(payload);
}

async function main() {
  const { createDefaultServer } = require(require.resolve("cognito-local/lib/server/defaults", from));
  const pino = require(require.resolve("pino", from));
  const logger = pino({ level: process.env.DEBUG ? "debug" : "warn" });
  // Its own configuration (.cognito/config.json): a private port on loopback, and the tokens' issuer at
  // the front's address, where the app fetches the JWKS and checks `iss`.
  mkdirSync(join(process.cwd(), ".cognito"), { recursive: true });
  writeFileSync(
    join(process.cwd(), ".cognito", "config.json"),
    JSON.stringify({
      ServerConfig: { port: 0, hostname: "127.0.0.1" },
      TokenConfig: { IssuerDomain: `http://${host}:${publicPort}` },
    }),
  );
  const server = await (await createDefaultServer(logger)).start();
  const privatePort = server.address().port;

  const front = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const name = String(req.headers["x-amz-target"] ?? "");
      // Anything that is not an API call (the JWKS, the issuer's documents) goes through unchanged.
      if (req.method !== "POST" || !name) {
        const proxied = http.request(
          { host: "127.0.0.1", port: privatePort, method: req.method, path: req.url, headers: req.headers },
          (upstream) => {
            res.writeHead(upstream.statusCode ?? 500, upstream.headers);
            upstream.pipe(res);
          },
        );
        proxied.end(raw);
        return;
      }
      let body;
      try {
        body = JSON.parse(raw || "{}");
      } catch {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify({ __type: "SerializationException", message: "body is not JSON" }));
        return;
      }
      const translated = translate(name, body);
      if (translated.answer) {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(translated.answer));
        return;
      }
      const signIn = name === target("AdminInitiateAuth") || name === target("InitiateAuth");
      forward(privatePort, translated.name, translated.body, res, signIn);
    });
  });
  await new Promise((resolve) => front.listen(publicPort, host, resolve));
  process.send?.({ ready: true, port: front.address().port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
