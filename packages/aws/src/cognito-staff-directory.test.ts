import {
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { InvalidError, UnavailableError } from "@pledgewatch/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createCognitoStaffDirectory } from "./cognito-staff-directory";

const cognito = new CognitoIdentityProviderClient({ region: "ap-southeast-1" });
const cognitoMock = mockClient(cognito);
const options = { region: "ap-southeast-1", userPoolId: "ap-southeast-1_abc", clientId: "client" };
const created = new Date("2026-11-02T02:00:00Z");

function user(username: string, attributes: Record<string, string>, enabled = true): UserType {
  return {
    Username: username,
    Enabled: enabled,
    UserCreateDate: created,
    UserLastModifiedDate: created,
    Attributes: Object.entries({ sub: username, ...attributes }).map(([Name, Value]) => ({ Name, Value })),
  };
}

const lan = user("u-lan", {
  email: "lan@soct.ninhbinh.gov.vn",
  name: "Nguyễn Thị Lan",
  "custom:agency": "CT",
  "custom:province": "37",
});
const hoa = user(
  "u-hoa",
  { email: "hoa@soct.ninhbinh.gov.vn", name: "Lê Thị Hoa", "custom:agency": "CT", "custom:province": "37" },
  false,
);
const other = user("u-binh", {
  email: "binh@sovhtt.hanoi.gov.vn",
  name: "Trần Bình",
  "custom:agency": "VHTT",
  "custom:province": "01",
});
const noGroup = user("u-x", { email: "x@example.vn", "custom:agency": "CT", "custom:province": "37" });

function pool(users: UserType[], groups: Record<string, UserType[]>) {
  cognitoMock.on(ListUsersCommand).resolves({ Users: users });
  cognitoMock.on(ListUsersInGroupCommand).callsFake((input: { GroupName: string }) => ({
    Users: groups[input.GroupName] ?? [],
  }));
}

describe("the staff directory in the Cognito user pool", () => {
  beforeEach(() => cognitoMock.reset());

  it("lists an agency's and province's staff with their strongest group and status; users without a group are not staff", async () => {
    pool([lan, hoa, other, noGroup], { viewer: [lan], reviewer: [hoa], lead: [lan], admin: [other] });
    const directory = createCognitoStaffDirectory(options, cognito);
    const staff = await directory.listByScope("CT", "37");
    expect(staff.map((s) => [s.id, s.email, s.role, s.status])).toEqual([
      ["u-lan", "lan@soct.ninhbinh.gov.vn", "lead", "active"],
      ["u-hoa", "hoa@soct.ninhbinh.gov.vn", "reviewer", "disabled"],
    ]);
    expect(staff[0]).toMatchObject({ name: "Nguyễn Thị Lan", createdAt: created.toISOString() });
    expect(staff[0]?.passwordHash).toBeUndefined();
    expect(await directory.findByEmail(" Binh@SoVHTT.hanoi.gov.vn")).toMatchObject({
      id: "u-binh",
      role: "admin",
    });
  });

  it("reads every page of users and of each group", async () => {
    cognitoMock
      .on(ListUsersCommand, { PaginationToken: undefined })
      .resolves({ Users: [lan], PaginationToken: "p2" })
      .on(ListUsersCommand, { PaginationToken: "p2" })
      .resolves({ Users: [hoa] });
    cognitoMock
      .on(ListUsersInGroupCommand)
      .resolves({ Users: [] })
      .on(ListUsersInGroupCommand, { GroupName: "reviewer", NextToken: undefined })
      .resolves({ Users: [lan], NextToken: "g2" })
      .on(ListUsersInGroupCommand, { GroupName: "reviewer", NextToken: "g2" })
      .resolves({ Users: [hoa] });
    const directory = createCognitoStaffDirectory(options, cognito);
    expect((await directory.listByScope("CT", "37")).map((s) => s.role)).toEqual(["reviewer", "reviewer"]);
  });

  it("reads the pool again after five minutes, and sooner (10 s apart at most) for an id it does not know", async () => {
    let now = 0;
    pool([lan], { lead: [lan] });
    const directory = createCognitoStaffDirectory(options, cognito, { now: () => now });
    await directory.listByScope("CT", "37");
    await directory.get("u-lan");
    expect(cognitoMock.commandCalls(ListUsersCommand)).toHaveLength(1);

    // Created in the pool a moment ago.
    pool([lan, other], { lead: [lan], admin: [other] });
    expect(await directory.get("u-binh")).toBeNull();
    expect(cognitoMock.commandCalls(ListUsersCommand)).toHaveLength(1);
    now = 10_000;
    expect(await directory.get("u-binh")).toMatchObject({ role: "admin" });
    now = 15_000;
    expect(await directory.get("u-nobody")).toBeNull();
    expect(cognitoMock.commandCalls(ListUsersCommand)).toHaveLength(2);

    // Disabled in the pool: seen at the next full read.
    pool(
      [
        user(
          "u-lan",
          { email: "lan@soct.ninhbinh.gov.vn", "custom:agency": "CT", "custom:province": "37" },
          false,
        ),
      ],
      {
        lead: [lan],
      },
    );
    now = 10_000 + 300_000;
    expect((await directory.get("u-lan"))?.status).toBe("disabled");
  });

  it("creates no account (Cognito does) and says so; a pool that does not answer is 'unavailable'", async () => {
    const directory = createCognitoStaffDirectory(options, cognito);
    await expect(directory.create({} as never)).rejects.toBeInstanceOf(InvalidError);
    cognitoMock.on(ListUsersCommand).rejects(new Error("socket hang up"));
    await expect(directory.listByScope("CT", "37")).rejects.toBeInstanceOf(UnavailableError);
  });
});
