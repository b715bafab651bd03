/** A client of the HTTP API that keeps cookies as a browser would (names and values only). */
export class CookieClient {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    // A browser sends its origin with a form; behind API Gateway the site is served over HTTPS.
    if (init.method && init.method !== "GET") headers.set("origin", `https://${new URL(this.base).host}`);
    if (this.cookies.size > 0)
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const [name = "", ...value] = pair.split("=");
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a),
      );
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join("="));
    }
    return res;
  }

  /** The value of a hidden form field in an HTML page. */
  static field(html: string, name: string): string {
    const match =
      new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html) ??
      new RegExp(`value="([^"]*)"[^>]*name="${name}"`).exec(html);
    if (!match?.[1]) throw new Error(`no field ${name} in the page`);
    return match[1];
  }

  /** Signs in on the console's form; answers the form's response. */
  async signIn(email: string, password: string): Promise<Response> {
    const form = await this.request("/sign-in");
    const page = await form.text();
    return this.request("/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        _csrf: CookieClient.field(page, "_csrf"),
        email,
        password,
        next: "/console",
      }),
    });
  }

  /** Posts the sign-in's challenge form (new password, or an authenticator code) on the page it is on. */
  async answerChallenge(page: string, fields: Record<string, string>): Promise<Response> {
    return this.request("/sign-in/challenge", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: CookieClient.field(page, "_csrf"), next: "/console", ...fields }),
    });
  }

  /**
   * Sends a file with the page's form that posts straight to S3 (its action and hidden fields, then the
   * file last), as a browser does; answers S3's response (a 303 back to the site, or S3's error).
   */
  static async postToS3(
    html: string,
    file: Blob,
    fileName: string,
    overrides: Record<string, string> = {},
  ): Promise<Response> {
    const form =
      /<form method="post" action="(https?:\/\/[^"]+)" enctype="multipart\/form-data">([\s\S]*?)<\/form>/.exec(
        html,
      );
    if (!form?.[1] || form[2] === undefined) throw new Error("no upload form in the page");
    const body = new FormData();
    for (const [, name = "", value = ""] of form[2].matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g,
    ))
      body.append(unescapeHtml(name), overrides[unescapeHtml(name)] ?? unescapeHtml(value));
    body.append("file", file, fileName);
    return fetch(unescapeHtml(form[1]), { method: "POST", body, redirect: "manual" });
  }
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
