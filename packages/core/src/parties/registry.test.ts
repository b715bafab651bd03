import { describe, expect, it } from "vitest";
import { columnOf, parseDate, parseProvinces, parseStatus, templateColumns } from "./import-columns";
import { applyImport, newParty, PartyInputSchema, partyRuleIssues } from "./input";
import { identifierKeys, searchSuffixes, searchText } from "./model";

const actor = { staffId: "s", name: "Cán bộ" };
const at = new Date("2026-02-01T00:00:00Z");

describe("search entries of a name", () => {
  it("start at every word, folded, so any trailing words find the party", () => {
    const suffixes = searchSuffixes("Công ty Cổ phần Thương mại Điện tử Hoa Lư");
    expect(suffixes[0]).toBe("thuong mai dien tu hoa lu");
    expect(suffixes).toContain("hoa lu");
    expect(suffixes).toContain("lu");
    expect(searchSuffixes("Nguyễn Văn An")).toEqual(["nguyen van an", "van an", "an"]);
    // The legal form's words start no entry of their own, but a person named Phan keeps every entry.
    expect(searchSuffixes("Công ty TNHH Shopee")).toEqual(["shopee"]);
    expect(searchSuffixes("Phan Thanh Tú")).toEqual(["phan thanh tu", "thanh tu", "tu"]);
  });

  it("skip the generic opening of an organisation's name: legal form and line of business", () => {
    expect(searchSuffixes("Công ty TNHH Thương mại Điện tử Minh Phát")).toEqual([
      "thuong mai dien tu minh phat",
      "minh phat",
      "phat",
    ]);
    expect(searchSuffixes("Hộ kinh doanh Nguyễn Văn An")).toEqual(["nguyen van an", "van an", "an"]);
    expect(searchSuffixes("Cửa hàng Mỹ phẩm Trần Thị Hà")).toEqual([
      "my pham tran thi ha",
      "tran thi ha",
      "thi ha",
      "ha",
    ]);
    // A name that is all opening words still has its last word indexed.
    expect(searchSuffixes("Công ty Cổ phần Thương mại")).toEqual(["thuong mai", "mai"]);
    // Names not opening with a legal form keep every word: "Thương mại" here is part of the title.
    expect(searchSuffixes("Báo Thương mại Sài Gòn")).toContain("thuong mai sai gon");
    expect(searchSuffixes("Báo Thương mại Sài Gòn")[0]).toBe("bao thuong mai sai gon");
  });

  it("leave out entries no query can match: a single letter", () => {
    expect(searchSuffixes("Công ty TNHH Thương mại Điện tử Đông Á")).toEqual([
      "thuong mai dien tu dong a",
      "dong a",
    ]);
  });
});

describe("search text of a query", () => {
  it("is folded and loses the legal form the index leaves out", () => {
    expect(searchText("Công ty TNHH Shopee")).toBe("shopee");
    expect(searchText("cong ty tnhh thuong mai dien tu minh")).toBe("thuong mai dien tu minh");
    expect(searchText("HỘ KINH DOANH Nguyễn Văn")).toBe("nguyen van");
    expect(searchText("nguyen van a")).toBe("nguyen van a");
    // Someone whose name merely contains such words keeps them; a bare legal form stays as typed.
    expect(searchText("Phan Công Ty")).toBe("phan cong ty");
    expect(searchText("Công ty")).toBe("cong ty");
  });

  it("matches the first entry of the name it was taken from", () => {
    for (const name of ["Công ty TNHH Shopee", "Hộ kinh doanh Nguyễn Văn An", "Báo Nhân Dân", "Lê Thị Hoa"]) {
      expect(searchSuffixes(name)[0]?.startsWith(searchText(name))).toBe(true);
    }
  });
});

describe("import columns", () => {
  it("recognise Vietnamese headers with or without diacritics and the required mark", () => {
    expect(columnOf("Mã số thuế (*)")).toBe("taxCode");
    expect(columnOf("MST")).toBe("taxCode");
    expect(columnOf("ten doi tuong")).toBe("name");
    expect(columnOf("Tỉnh/Thành phố")).toBe("provinces");
    expect(columnOf("Số CCHN")).toBe("practisingCertificate");
    expect(columnOf("Màu yêu thích")).toBeUndefined();
  });

  it("mark each group's required identifier in its template", () => {
    const required = (group: Parameters<typeof templateColumns>[0]) =>
      templateColumns(group)
        .filter((c) => c.required)
        .map((c) => c.column);
    expect(required("ecommerce_platform")).toEqual(["name", "taxCode", "provinces"]);
    expect(required("doctor")).toEqual(["name", "practisingCertificate", "provinces"]);
    expect(required("kol")).toEqual(["name", "profiles", "provinces"]);
    expect(required("artist")).toEqual(["name", "provinces"]);
  });

  it("read provinces by name, short name or code, and report the unknown ones", () => {
    expect(parseProvinces("Ninh Bình; TP Hồ Chí Minh, ha noi")).toEqual({
      codes: ["37", "79", "01"],
      unknown: [],
    });
    expect(parseProvinces("Tỉnh Đồng Tháp\n37")).toEqual({ codes: ["82", "37"], unknown: [] });
    expect(parseProvinces("Hà Tây")).toEqual({ codes: [], unknown: ["Hà Tây"] });
  });

  it("read dates as written in Vietnam and refuse impossible ones", () => {
    expect(parseDate("01/04/2026")).toBe("2026-04-01");
    expect(parseDate("1/4/2026")).toBe("2026-04-01");
    expect(parseDate("2026-04-01")).toBe("2026-04-01");
    expect(parseDate("31/02/2026")).toBeUndefined();
    expect(parseDate("04/01/26")).toBeUndefined();
  });

  it("read statuses in Vietnamese", () => {
    expect(parseStatus("Ngừng hoạt động")).toBe("ceased");
    expect(parseStatus("miễn trừ")).toBe("exempt");
    expect(parseStatus("tạm dừng")).toBeUndefined();
  });
});

describe("party rules", () => {
  it("require each group's identifier and a reason for a non-active status", () => {
    const result = PartyInputSchema.safeParse({
      name: "Báo Mẫu",
      group: "press",
      provinces: ["37"],
      status: "exempt",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["pressLicence", "statusReason"]);
  });

  it("keep identifiers canonical, so the same party is recognised however it was typed", () => {
    const a = newParty(
      PartyInputSchema.parse({
        name: "Sàn A",
        group: "ecommerce_platform",
        provinces: ["37"],
        taxCode: "0106 773 786",
      }),
      "a",
      actor,
      at,
    );
    expect(identifierKeys(a)).toEqual(["tax:0106773786"]);
  });

  it("merge a re-imported row: given cells replace, provinces and profiles are only added", () => {
    const kol = newParty(
      PartyInputSchema.parse({
        name: "Lê Thu Hà",
        group: "kol",
        provinces: ["01"],
        profiles: ["tiktok.com/@lethuha"],
        notes: "đã liên hệ",
      }),
      "k",
      actor,
      at,
    );
    const row = PartyInputSchema.parse({
      name: "Lê Thu Hà",
      group: "kol",
      provinces: ["37"],
      profiles: ["facebook.com/lethuha.official"],
    });
    const merged = applyImport(kol, row, actor, at);
    expect(merged.provinces).toEqual(["01", "37"]);
    expect(merged.identifiers.profiles.map((p) => p.network)).toEqual(["tiktok", "facebook"]);
    expect(merged.notes).toBe("đã liên hệ");
    expect(merged.version).toBe(2);
    expect(partyRuleIssues(merged)).toEqual([]);
  });
});
