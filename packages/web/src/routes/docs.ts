import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, WebDeps } from "../env";
import { publicRoute } from "../middleware";

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

// Swagger UI is started from a file, not an inline script, so the page keeps a strict script-src.
const INIT_JS = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
`;

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pledgewatch API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"></main>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/init.js"></script>
</body>
</html>`;

export function registerDocs(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: deps.secureCookies ? "__Host-pw_session" : "pw_session",
    description: "Session cookie set by signing in to the console at /sign-in.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "On AWS: a Cognito ID token of the staff user pool.",
  });

  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Pledgewatch API",
      version: "1",
      description:
        "JSON API of Pledgewatch. Errors are `{ error: { code, message, issues?, requestId } }`; validation errors list each field.",
    },
    servers: [{ url: "/" }],
  });
  // doc31 registers its route directly; mark it public for the route table.
  app.use("/api/openapi.json", publicRoute());

  app.get("/api/docs", publicRoute(), (c) => {
    // Swagger UI sets inline styles on its elements.
    c.header("Content-Security-Policy", docsCsp);
    return c.html(DOCS_HTML);
  });

  app.get("/api/docs/assets/init.js", publicRoute(), (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(INIT_JS);
  });

  app.get("/api/docs/assets/:name", publicRoute(), async (c) => {
    const name = c.req.param("name");
    const type = ASSETS[name];
    const body = type ? await deps.readDocsAsset(name) : null;
    if (!type || !body) return c.notFound();
    c.header("Content-Type", type);
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(body as Uint8Array<ArrayBuffer>);
  });
}

const docsCsp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
