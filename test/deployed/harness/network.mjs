// The harness's network, as every execution environment sees it (preloaded with --import):
//
// - DNS. Names under .localhost resolve to the loopback address, as RFC 6761 has them: the stand-ins'
//   queue URLs read http://sqs.<region>.localhost:<port>/…, as the real ones read sqs.<region>.amazonaws.com.
//   The names in public-hosts.json resolve to a public address: they are the Internet the crawler visits, served
//   by a marketplace the test starts on loopback. Every other name goes to the system resolver unchanged.
// - Routing. A connection to one of those public addresses arrives at 127.0.0.1 on the same port, as a
//   NAT in front of the marketplace would take it there. Nothing in the function changes: its URL safety
//   resolves the name, sees a public address and pins the connection to it (packages/capture), exactly as
//   on Lambda; only where that address leads is the harness's.
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";
// The marketplace's host names (under .example, which no real resolver answers) and the public address
// each resolves to (example.com's former one).
import hosts from "./public-hosts.json" with { type: "json" };

const PUBLIC_HOSTS = new Map(Object.entries(hosts));
const ROUTED = new Set(PUBLIC_HOSTS.values());
const LOOPBACK = "127.0.0.1";

/** The harness's own answer for a name, or undefined for the system resolver's. */
function harnessAddress(hostname) {
  if (typeof hostname !== "string") return undefined;
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (name.endsWith(".localhost")) return LOOPBACK;
  return PUBLIC_HOSTS.get(name);
}

const lookup = dns.lookup;
dns.lookup = function harnessLookup(hostname, options, callback) {
  const cb = typeof options === "function" ? options : callback;
  const opts =
    typeof options === "function" ? {} : typeof options === "number" ? { family: options } : (options ?? {});
  const address = harnessAddress(hostname);
  if (address) {
    if (opts.all) return process.nextTick(cb, null, [{ address, family: 4 }]);
    return process.nextTick(cb, null, address, 4);
  }
  return lookup.call(this, hostname, options, callback);
};

const lookupPromise = dns.promises.lookup;
dns.promises.lookup = async function harnessLookupPromise(hostname, options) {
  const address = harnessAddress(hostname);
  if (!address) return lookupPromise.call(this, hostname, options);
  const opts = typeof options === "number" ? { family: options } : (options ?? {});
  return opts.all ? [{ address, family: 4 }] : { address, family: 4 };
};

/** The routed address's destination: loopback for the public addresses above, anything else unchanged. */
const route = (address) => (ROUTED.has(address) ? LOOPBACK : address);

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function harnessConnect(...args) {
  // net.createConnection passes its normalised [options, callback]; a direct call passes the options.
  const options = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (options && typeof options === "object" && !options.path) {
    if (typeof options.host === "string") options.host = route(options.host);
    if (typeof options.lookup === "function") {
      const resolve = options.lookup;
      options.lookup = (hostname, opts, callback) =>
        resolve(hostname, opts, (error, address, family) =>
          Array.isArray(address)
            ? callback(
                error,
                address.map((a) => ({ ...a, address: route(a.address) })),
              )
            : callback(error, typeof address === "string" ? route(address) : address, family),
        );
    }
  }
  return connect.apply(this, args);
};

syncBuiltinESMExports();
