import { freePort, startDynamoLocal } from "@pledgewatch/local";
import { describe, expect, inject, it } from "vitest";
import { isLoopbackListener, listeningAddresses } from "../support/listening";

// DynamoDB Local accepts any credentials: listening on a network interface would hand the data to anyone
// on the network. It listens on loopback only, in the tests and in `npm start`.
describe("DynamoDB Local", () => {
  it("the integration run's instance listens on loopback only", () => {
    const port = Number(new URL(inject("dynamoEndpoint")).port);
    const addresses = listeningAddresses(port);
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((a) => !isLoopbackListener(a))).toEqual([]);
  });

  it("binds the loopback address it is given and refuses a network one", async () => {
    await expect(startDynamoLocal({ port: await freePort(), host: "0.0.0.0" })).rejects.toThrow(
      /loopback address only, not on 0\.0\.0\.0/,
    );
    const port = await freePort();
    const dynamo = await startDynamoLocal({ port, host: "127.0.0.2" });
    try {
      expect(dynamo.endpoint).toBe(`http://127.0.0.2:${port}`);
      expect(listeningAddresses(port).map((a) => a.replace(/^::ffff:/, ""))).toEqual(["127.0.0.2"]);
    } finally {
      await dynamo.stop();
    }
  });
});
