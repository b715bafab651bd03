// The harness's one DNS entry: names under .localhost (the stand-ins' queue URLs read
// http://sqs.<region>.localhost:<port>/…, as the real ones read sqs.<region>.amazonaws.com) resolve to
// the loopback address, as RFC 6761 has them. Every other name goes to the system resolver unchanged.
import dns from "node:dns";

const lookup = dns.lookup;
dns.lookup = function harnessLookup(hostname, options, callback) {
  const cb = typeof options === "function" ? options : callback;
  const opts =
    typeof options === "function" ? {} : typeof options === "number" ? { family: options } : (options ?? {});
  if (typeof hostname === "string" && hostname.toLowerCase().endsWith(".localhost")) {
    if (opts.all) return process.nextTick(cb, null, [{ address: "127.0.0.1", family: 4 }]);
    return process.nextTick(cb, null, "127.0.0.1", 4);
  }
  return lookup.call(this, hostname, options, callback);
};
