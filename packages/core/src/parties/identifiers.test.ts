import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  EmailSchema,
  type Normalised,
  normalizeEmail,
  normalizePhoneVN,
  normalizePractisingCertificate,
  normalizePressLicence,
  normalizeSocialProfile,
  normalizeTaxCode,
  PhoneSchema,
  PractisingCertificateSchema,
  PressLicenceSchema,
  type SocialNetwork,
  SocialProfileSchema,
  TaxCodeSchema,
} from "./identifiers";

const value = <T>(result: Normalised<T>): T => {
  if (!result.ok) throw new Error(`expected ok, got error: ${result.error}`);
  return result.value;
};
const error = <T>(result: Normalised<T>): string => {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
};
/** What an untyped caller (spreadsheet cell, JSON body) may pass despite the signature. */
const untyped = (v: unknown) => v as string;

describe("normalizeTaxCode", () => {
  // Published codes of real companies: the check digit algorithm must accept every one of them.
  it.each([
    ["0106773786", "Shopee Việt Nam"],
    ["0309532909", "Tiki"],
    ["0303490096", "VNG"],
    ["0100112437", "Vietcombank"],
    ["0100109106", "Viettel"],
    ["0101248141", "FPT"],
    ["0100233488", "python-stdnum example"],
    ["0101243150", "brief example"],
  ])("accepts the published code %s (%s)", (code) => {
    expect(value(normalizeTaxCode(code))).toBe(code);
  });

  it.each([
    ["0101 243 150", "0101243150"],
    ["01.01.243.150", "0101243150"],
    ["  0106773786 ", "0106773786"],
    ["0101243150-001", "0101243150-001"],
    ["0101243150001", "0101243150-001"],
    ["0101243150 - 001", "0101243150-001"],
    ["0101243150–001", "0101243150-001"],
    ["0314409058-002", "0314409058-002"],
    ["0312 68 78 78 - 001", "0312687878-001"],
    ["0309532909.999", "0309532909-999"],
  ])("normalises %j to %j", (input, canonical) => {
    expect(value(normalizeTaxCode(input))).toBe(canonical);
  });

  it.each([
    ["", "Chưa nhập mã số thuế"],
    ["   ", "Chưa nhập mã số thuế"],
    ["MST 0101243150", "Mã số thuế chỉ gồm chữ số (được có dấu cách, dấu chấm, dấu gạch ngang)"],
    ["0101243150/001", "Mã số thuế chỉ gồm chữ số (được có dấu cách, dấu chấm, dấu gạch ngang)"],
    ["01012431５0", "Mã số thuế chỉ gồm chữ số (được có dấu cách, dấu chấm, dấu gạch ngang)"],
    ["12345", "Mã số thuế phải có 10 hoặc 13 chữ số"],
    ["010124315", "Mã số thuế phải có 10 hoặc 13 chữ số"],
    ["01012431500", "Mã số thuế phải có 10 hoặc 13 chữ số"],
    ["01012431500011", "Mã số thuế phải có 10 hoặc 13 chữ số"],
    ["106773786", "Mã số thuế phải có 10 chữ số; có thể đã mất số 0 ở đầu (thường do Excel)"],
    ["001088012345", "Mã số thuế phải có 10 hoặc 13 chữ số; số có 12 chữ số là số định danh cá nhân"],
    ["0101-243150", "Dấu gạch ngang chỉ đặt giữa 10 số đầu và 3 số đuôi của đơn vị phụ thuộc"],
    ["0101243150-", "Dấu gạch ngang chỉ đặt giữa 10 số đầu và 3 số đuôi của đơn vị phụ thuộc"],
    ["0101243-150001", "Dấu gạch ngang chỉ đặt giữa 10 số đầu và 3 số đuôi của đơn vị phụ thuộc"],
    ["0101243150-0-01", "Dấu gạch ngang chỉ đặt giữa 10 số đầu và 3 số đuôi của đơn vị phụ thuộc"],
    ["0100000003", "Mã số thuế không hợp lệ: 7 chữ số thứ tự không thể đều là 0"],
    ["0100233480", "Mã số thuế sai số kiểm tra"],
    ["0106773787", "Mã số thuế sai số kiểm tra"],
    ["0106773768-001", "Mã số thuế sai số kiểm tra"],
    // 10 − (sum mod 11) = 10 for 010000005: no check digit exists, every tenth digit is wrong.
    ["0100000050", "Mã số thuế sai số kiểm tra"],
    ["0100000059", "Mã số thuế sai số kiểm tra"],
    ["0101243150-000", "3 số đuôi của mã số thuế đơn vị phụ thuộc phải từ 001 đến 999"],
    ["0101243150000", "3 số đuôi của mã số thuế đơn vị phụ thuộc phải từ 001 đến 999"],
  ])("refuses %j: %s", (input, message) => {
    expect(error(normalizeTaxCode(input))).toBe(message);
  });

  it("does not throw on input that is not a string", () => {
    expect(error(normalizeTaxCode(untyped(101243150)))).toBe("Chưa nhập mã số thuế");
    expect(error(normalizeTaxCode(untyped(null)))).toBe("Chưa nhập mã số thuế");
  });

  it("is idempotent", () => {
    for (const input of ["0106773786", "01.01.243.150", "0101243150001", "0312 68 78 78 - 001"]) {
      const canonical = value(normalizeTaxCode(input));
      expect(value(normalizeTaxCode(canonical))).toBe(canonical);
    }
  });
});

describe("normalizePhoneVN", () => {
  it.each([
    ["0912345678", "+84912345678"],
    ["0912 345 678", "+84912345678"],
    ["091.234.5678", "+84912345678"],
    ["091-234-5678", "+84912345678"],
    ["(091) 234 5678", "+84912345678"],
    ["+84912345678", "+84912345678"],
    ["+84 912 345 678", "+84912345678"],
    ["(+84) 912-345-678", "+84912345678"],
    ["+84 (0) 912 345 678", "+84912345678"],
    ["+840912345678", "+84912345678"],
    ["84912345678", "+84912345678"],
    ["0084 912 345 678", "+84912345678"],
    ["0328 123 456", "+84328123456"],
    ["0563 123 456", "+84563123456"],
    ["0703 123 456", "+84703123456"],
    ["0849 123 456", "+84849123456"],
    ["0988\u00A0123\u00A0456", "+84988123456"],
    ["024 3825 1234", "+842438251234"],
    ["(028) 3829 5678", "+842838295678"],
    ["0236.3821.234", "+842363821234"],
    ["0206 3852 123", "+842063852123"],
    ["+84 24 3825 1234", "+842438251234"],
    ["842438251234", "+842438251234"],
  ])("normalises %j to %j", (input, canonical) => {
    expect(value(normalizePhoneVN(input))).toBe(canonical);
  });

  it.each([
    ["", "Chưa nhập số điện thoại"],
    ["0912 abc 678", "Số điện thoại không được chứa chữ cái"],
    ["0912345678 (anh Tuấn)", "Số điện thoại không được chứa chữ cái"],
    [
      "0912/345/678",
      "Số điện thoại chỉ gồm chữ số (được có dấu cách, dấu chấm, gạch ngang, ngoặc đơn, dấu + ở đầu)",
    ],
    [
      "0912+345678",
      "Số điện thoại chỉ gồm chữ số (được có dấu cách, dấu chấm, gạch ngang, ngoặc đơn, dấu + ở đầu)",
    ],
    ["+1 212 555 0100", "Chỉ chấp nhận số điện thoại Việt Nam (mã quốc gia +84)"],
    ["+65 6123 4567", "Chỉ chấp nhận số điện thoại Việt Nam (mã quốc gia +84)"],
    ["912345678", "Số điện thoại thiếu số 0 ở đầu (thường do Excel)"],
    ["849123456", "Số điện thoại thiếu số 0 ở đầu (thường do Excel)"],
    ["2438251234", "Số điện thoại thiếu số 0 ở đầu (thường do Excel)"],
    ["091234567", "Số di động phải có 10 chữ số, kể cả số 0 ở đầu"],
    ["09123456789", "Số di động phải có 10 chữ số, kể cả số 0 ở đầu"],
    ["+8491234567", "Số di động phải có 10 chữ số, kể cả số 0 ở đầu"],
    ["024 3825 123", "Số cố định phải có 11 chữ số, kể cả số 0 ở đầu (ví dụ 024 3825 1234)"],
    ["024 3825 12345", "Số cố định phải có 11 chữ số, kể cả số 0 ở đầu (ví dụ 024 3825 1234)"],
    ["01689 123 456", "Đầu số 01 là đầu số di động cũ, đã đổi sang 10 số từ năm 2018"],
    ["0412345678", "Đầu số không hợp lệ: di động bắt đầu bằng 03, 05, 07, 08, 09; cố định bắt đầu bằng 02"],
    ["0612345678", "Đầu số không hợp lệ: di động bắt đầu bằng 03, 05, 07, 08, 09; cố định bắt đầu bằng 02"],
    ["1900 1234", "Đầu số không hợp lệ: di động bắt đầu bằng 03, 05, 07, 08, 09; cố định bắt đầu bằng 02"],
    ["+84", "Đầu số không hợp lệ: di động bắt đầu bằng 03, 05, 07, 08, 09; cố định bắt đầu bằng 02"],
  ])("refuses %j: %s", (input, message) => {
    expect(error(normalizePhoneVN(input))).toBe(message);
  });

  it("does not throw on input that is not a string", () => {
    expect(error(normalizePhoneVN(untyped(912345678)))).toBe("Chưa nhập số điện thoại");
  });

  it("is idempotent", () => {
    for (const input of ["0912 345 678", "(+84) 912-345-678", "024 3825 1234"]) {
      const canonical = value(normalizePhoneVN(input));
      expect(value(normalizePhoneVN(canonical))).toBe(canonical);
    }
  });
});

describe("normalizeEmail", () => {
  it.each([
    ["phapche@shopee.vn", "phapche@shopee.vn"],
    ["  Phap.Che@Shopee.VN ", "phap.che@shopee.vn"],
    ["mailto:LienHe@tiki.vn", "lienhe@tiki.vn"],
    ["nguyen.van.a+kol@gmail.com", "nguyen.van.a+kol@gmail.com"],
    ["bs_tran-thi.b@benhvien108.vn", "bs_tran-thi.b@benhvien108.vn"],
    ["toa-soan@tuoitre.com.vn", "toa-soan@tuoitre.com.vn"],
    ["contact@xn--cngty-5sa.vn", "contact@xn--cngty-5sa.vn"],
    [`${"a".repeat(64)}@example.vn`, `${"a".repeat(64)}@example.vn`],
  ])("normalises %j to %j", (input, canonical) => {
    expect(value(normalizeEmail(input))).toBe(canonical);
  });

  const longDomain = `${"d".repeat(62)}.${"e".repeat(62)}.${"f".repeat(62)}.${"g".repeat(62)}.vn`;
  it.each([
    ["", "Chưa nhập email"],
    ["  ", "Chưa nhập email"],
    ["phap che@shopee.vn", "Email không được chứa dấu cách"],
    ["phapche.shopee.vn", "Email phải có đúng một ký tự @"],
    ["a@b@shopee.vn", "Email phải có đúng một ký tự @"],
    ["@shopee.vn", "Email phải có phần tên trước @ và tên miền sau @"],
    ["phapche@", "Email phải có phần tên trước @ và tên miền sau @"],
    [`ab@${longDomain}`, "Email dài quá 254 ký tự"],
    [`${"a".repeat(65)}@example.vn`, "Phần trước @ của email dài quá 64 ký tự"],
    [
      "nguyễn@gmail.com",
      "Phần trước @ của email có ký tự không hợp lệ (chỉ dùng chữ không dấu, số và . _ - +)",
    ],
    [
      ".abc@gmail.com",
      "Phần trước @ của email có ký tự không hợp lệ (chỉ dùng chữ không dấu, số và . _ - +)",
    ],
    [
      "abc.@gmail.com",
      "Phần trước @ của email có ký tự không hợp lệ (chỉ dùng chữ không dấu, số và . _ - +)",
    ],
    [
      "a..b@gmail.com",
      "Phần trước @ của email có ký tự không hợp lệ (chỉ dùng chữ không dấu, số và . _ - +)",
    ],
    ['"a b"@gmail.com', "Email không được chứa dấu cách"],
    ["abc@localhost", "Tên miền của email phải có dấu chấm, ví dụ congty.vn"],
    ["abc@gmail..com", "Tên miền của email không hợp lệ"],
    ["abc@.gmail.com", "Tên miền của email không hợp lệ"],
    ["abc@gmail.com.", "Tên miền của email không hợp lệ"],
    ["abc@-gmail.com", "Tên miền của email không hợp lệ"],
    ["abc@gmail_vn.com", "Tên miền của email không hợp lệ"],
    ["abc@gmail.c", "Tên miền của email không hợp lệ"],
    ["abc@192.168.1.1", "Tên miền của email không hợp lệ"],
    ["abc@côngty.vn", "Tên miền của email không hợp lệ"],
  ])("refuses %j: %s", (input, message) => {
    expect(error(normalizeEmail(input))).toBe(message);
  });

  it("is idempotent", () => {
    for (const input of ["  Phap.Che@Shopee.VN ", "mailto:LienHe@tiki.vn"]) {
      const canonical = value(normalizeEmail(input));
      expect(value(normalizeEmail(canonical))).toBe(canonical);
    }
  });
});

describe("normalizePressLicence", () => {
  it.each([
    ["123/GP-BTTTT", "123/GP-BTTTT"],
    ["Số 123/GP-BTTTT", "123/GP-BTTTT"],
    ["số: 548/GP-BTTTT", "548/GP-BTTTT"],
    ["So 548/GP-BTTTT", "548/GP-BTTTT"],
    ["456/GP-BVHTTDL", "456/GP-BVHTTDL"],
    ["12/GP-STTTT", "12/GP-STTTT"],
    ["12 / gp - sTTTT", "12/GP-STTTT"],
    ["Số 123/GP-BTTTT ngày 01/02/2020", "123/GP-BTTTT"],
    ["Số 123/GP-BTTTT, ngày 1/2/2020", "123/GP-BTTTT"],
    ["Số: 456/GP-BVHTTDL cấp ngày 15/3/2025", "456/GP-BVHTTDL"],
    ["123/GP-BTTTT (ngày 01/02/2020)", "123/GP-BTTTT"],
    ["123/GP-BTTTT ngay 01/02/2020", "123/GP-BTTTT"],
    ["33/gp-ttđt", "33/GP-TTĐT"],
    ["Giấy phép số 2215/GP-TTĐT do Sở Thông tin và Truyền thông Hà Nội cấp ngày 18/7/2014", "2215/GP-TTĐT"],
    ["Giấy phép thiết lập mạng xã hội số 11/GP-BTTTT", "11/GP-BTTTT"],
    ["123/GP–BTTTT", "123/GP-BTTTT"],
    ["47/GP-TTĐT-STTTT", "47/GP-TTĐT-STTTT"],
  ])("normalises %j to %j", (input, canonical) => {
    expect(value(normalizePressLicence(input))).toBe(canonical);
  });

  it.each([
    ["", "Chưa nhập số giấy phép"],
    ["Số ", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    ["123", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    ["123/BTTTT", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    ["GP-BTTTT", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    ["/GP-BTTTT", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    ["123/GP-", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    ["123/GP-BTTTT2", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    ["ABC 123/GP-BTTTT", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    ["123/GP-BTTTT 01/02/2020", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    ["000123/HNO-CCHN", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
  ])("refuses %j: %s", (input, message) => {
    expect(error(normalizePressLicence(input))).toBe(message);
  });

  it("is idempotent", () => {
    for (const input of ["Số 123/GP-BTTTT ngày 01/02/2020", "33/gp-ttđt", "47/GP-TTĐT-STTTT"]) {
      const canonical = value(normalizePressLicence(input));
      expect(value(normalizePressLicence(canonical))).toBe(canonical);
    }
  });
});

describe("normalizePractisingCertificate", () => {
  it.each([
    ["000123/HNO-CCHN", "000123/HNO-CCHN"],
    ["012345/BYT-CCHN", "012345/BYT-CCHN"],
    ["1234/HCM-GPHN", "1234/HCM-GPHN"],
    ["1234/hcm-gphn", "1234/HCM-GPHN"],
    ["Số 000123 / HNO - CCHN", "000123/HNO-CCHN"],
    ["Chứng chỉ hành nghề số: 004587/BYT-CCHN", "004587/BYT-CCHN"],
    ["0012345/ĐNA-CCHN cấp ngày 12/05/2016", "0012345/ĐNA-CCHN"],
    ["000567/QNI–GPHN", "000567/QNI-GPHN"],
  ])("normalises %j to %j", (input, canonical) => {
    expect(value(normalizePractisingCertificate(input))).toBe(canonical);
  });

  it.each([
    ["", "Chưa nhập số chứng chỉ hành nghề"],
    ["012345/BYT-GP", "Số chứng chỉ hành nghề phải kết thúc bằng -CCHN hoặc -GPHN"],
    ["012345/BYT-CCHND", "Số chứng chỉ hành nghề phải kết thúc bằng -CCHN hoặc -GPHN"],
    ["123/GP-BTTTT", "Số chứng chỉ hành nghề phải kết thúc bằng -CCHN hoặc -GPHN"],
    ["012345", "Số chứng chỉ hành nghề phải có dạng số/nơi cấp-CCHN, ví dụ 000123/HNO-CCHN"],
    ["012345/CCHN", "Số chứng chỉ hành nghề phải có dạng số/nơi cấp-CCHN, ví dụ 000123/HNO-CCHN"],
    ["BYT-CCHN", "Số chứng chỉ hành nghề phải có dạng số/nơi cấp-CCHN, ví dụ 000123/HNO-CCHN"],
    ["012345/B-CCHN", "Số chứng chỉ hành nghề phải có dạng số/nơi cấp-CCHN, ví dụ 000123/HNO-CCHN"],
    ["012345/BY1-CCHN", "Số chứng chỉ hành nghề phải có dạng số/nơi cấp-CCHN, ví dụ 000123/HNO-CCHN"],
    ["123456789/BYT-CCHN", "Số chứng chỉ hành nghề phải có dạng số/nơi cấp-CCHN, ví dụ 000123/HNO-CCHN"],
  ])("refuses %j: %s", (input, message) => {
    expect(error(normalizePractisingCertificate(input))).toBe(message);
  });

  it("is idempotent", () => {
    for (const input of ["Số 000123 / HNO - CCHN", "1234/hcm-gphn", "0012345/ĐNA-CCHN"]) {
      const canonical = value(normalizePractisingCertificate(input));
      expect(value(normalizePractisingCertificate(canonical))).toBe(canonical);
    }
  });
});

describe("normalizeSocialProfile", () => {
  const profiles: [string, SocialNetwork, string, string][] = [
    // Facebook
    ["https://www.facebook.com/ShopeeVN", "facebook", "shopeevn", "https://facebook.com/shopeevn"],
    ["facebook.com/shopeevn/", "facebook", "shopeevn", "https://facebook.com/shopeevn"],
    [
      "http://m.facebook.com/shopeevn?mibextid=ZbWKwL",
      "facebook",
      "shopeevn",
      "https://facebook.com/shopeevn",
    ],
    ["https://web.facebook.com/tiki.vn#top", "facebook", "tiki.vn", "https://facebook.com/tiki.vn"],
    ["https://vi-vn.facebook.com/zuck", "facebook", "zuck", "https://facebook.com/zuck"],
    ["fb.com/ShopeeVN", "facebook", "shopeevn", "https://facebook.com/shopeevn"],
    ["https://www.facebook.com/shopeevn/about", "facebook", "shopeevn", "https://facebook.com/shopeevn"],
    ["https://www.facebook.com/shopeevn/videos", "facebook", "shopeevn", "https://facebook.com/shopeevn"],
    ["https://www.facebook.com/pg/shopeevn/about/", "facebook", "shopeevn", "https://facebook.com/shopeevn"],
    [
      "https://www.facebook.com/profile.php?id=100012345678901",
      "facebook",
      "100012345678901",
      "https://facebook.com/profile.php?id=100012345678901",
    ],
    [
      "m.facebook.com/profile.php?id=100012345678901&sk=about&mibextid=x",
      "facebook",
      "100012345678901",
      "https://facebook.com/profile.php?id=100012345678901",
    ],
    [
      "https://facebook.com/100012345678901",
      "facebook",
      "100012345678901",
      "https://facebook.com/profile.php?id=100012345678901",
    ],
    [
      "https://www.facebook.com/people/Nguyen-Van-A/100089123456789/",
      "facebook",
      "100089123456789",
      "https://facebook.com/profile.php?id=100089123456789",
    ],
    [
      "https://www.facebook.com/Nh%C3%A0-thu%E1%BB%91c-An-Khang-123456789012345/",
      "facebook",
      "123456789012345",
      "https://facebook.com/profile.php?id=123456789012345",
    ],
    // TikTok
    ["https://www.tiktok.com/@shopee_vn", "tiktok", "shopee_vn", "https://tiktok.com/@shopee_vn"],
    [
      "tiktok.com/@Shopee_VN?lang=vi&is_from_webapp=1",
      "tiktok",
      "shopee_vn",
      "https://tiktok.com/@shopee_vn",
    ],
    [
      "https://m.tiktok.com/@ha.linh.official/",
      "tiktok",
      "ha.linh.official",
      "https://tiktok.com/@ha.linh.official",
    ],
    // YouTube
    [
      "https://www.youtube.com/@ShopeeVietnam",
      "youtube",
      "shopeevietnam",
      "https://youtube.com/@shopeevietnam",
    ],
    [
      "m.youtube.com/@shopeevietnam/videos?si=abc",
      "youtube",
      "shopeevietnam",
      "https://youtube.com/@shopeevietnam",
    ],
    ["youtube.com/@Trầnthành", "youtube", "trầnthành", "https://youtube.com/@tr%E1%BA%A7nth%C3%A0nh"],
    [
      "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
      "youtube",
      "UCabcdefghijklmnopqrstuv",
      "https://youtube.com/channel/UCabcdefghijklmnopqrstuv",
    ],
    [
      "youtube.com/channel/UC-9-kyTW8ZkZNDHQJ6FgpwQ/featured",
      "youtube",
      "UC-9-kyTW8ZkZNDHQJ6FgpwQ",
      "https://youtube.com/channel/UC-9-kyTW8ZkZNDHQJ6FgpwQ",
    ],
    [
      "https://www.youtube.com/c/ShopeeVietnam",
      "youtube",
      "shopeevietnam",
      "https://youtube.com/c/shopeevietnam",
    ],
    [
      "https://www.youtube.com/ShopeeVietnam",
      "youtube",
      "shopeevietnam",
      "https://youtube.com/c/shopeevietnam",
    ],
    ["youtube.com/user/VTVcab", "youtube", "vtvcab", "https://youtube.com/user/vtvcab"],
    // Instagram
    ["https://www.instagram.com/shopee_vn/", "instagram", "shopee_vn", "https://instagram.com/shopee_vn"],
    ["instagram.com/Ha.Linh?igshid=abc", "instagram", "ha.linh", "https://instagram.com/ha.linh"],
    ["https://instagram.com/shopee_vn/reels/", "instagram", "shopee_vn", "https://instagram.com/shopee_vn"],
    // X / Twitter
    ["https://x.com/ShopeeVN", "x", "shopeevn", "https://x.com/shopeevn"],
    ["https://twitter.com/ShopeeVN", "x", "shopeevn", "https://x.com/shopeevn"],
    ["mobile.twitter.com/shopeevn/with_replies", "x", "shopeevn", "https://x.com/shopeevn"],
    // Zalo
    ["https://zalo.me/0912345678", "zalo", "0912345678", "https://zalo.me/0912345678"],
    ["zalo.me/4318971234567890123", "zalo", "4318971234567890123", "https://zalo.me/4318971234567890123"],
    // Threads (threads.net now redirects to threads.com)
    ["https://www.threads.net/@Zuck", "threads", "zuck", "https://threads.com/@zuck"],
    ["threads.com/@shopee_vn", "threads", "shopee_vn", "https://threads.com/@shopee_vn"],
  ];

  it.each(profiles)("normalises %j to %s %s %s", (input, network, handle, url) => {
    expect(value(normalizeSocialProfile(input))).toEqual({ network, handle, url });
  });

  it.each(profiles)("is idempotent on the canonical URL of %j", (input) => {
    const first = value(normalizeSocialProfile(input));
    expect(value(normalizeSocialProfile(first.url))).toEqual(first);
  });

  const post = "Đây là liên kết bài viết hoặc video, không phải trang cá nhân";
  const notProfile = "Liên kết này không trỏ tới trang cá nhân";
  const short =
    "Liên kết rút gọn hoặc liên kết chia sẻ không cho biết trang cá nhân; hãy dán liên kết trang cá nhân";
  const missing = "Liên kết chưa có tên trang cá nhân";
  const host = "Chỉ chấp nhận trang Facebook, TikTok, YouTube, Instagram, X (Twitter), Zalo hoặc Threads";
  const scheme = "Chỉ chấp nhận liên kết http hoặc https";

  it.each([
    ["", "Chưa nhập trang mạng xã hội"],
    ["@shopee_vn", "Cần liên kết đầy đủ tới trang cá nhân, ví dụ tiktok.com/@ten_tai_khoan"],
    ["shopeevn", "Cần liên kết đầy đủ tới trang cá nhân, ví dụ tiktok.com/@ten_tai_khoan"],
    // Not http(s)
    ["javascript:alert(1)", scheme],
    ["ftp://facebook.com/shopeevn", scheme],
    ["mailto:lienhe@shopee.vn", scheme],
    ["file:///etc/passwd", scheme],
    ["data:text/html,<b>x</b>", scheme],
    ["https://", "Liên kết không hợp lệ"],
    ["https://facebook.com/%E0%A4%A", "Liên kết không hợp lệ"],
    ["https://user:pass@facebook.com/shopeevn", "Liên kết không được chứa tên đăng nhập hoặc mật khẩu"],
    // Other hosts
    ["https://shopee.vn/shop/123", host],
    ["https://facebook.com.evil.example/shopeevn", host],
    ["https://business.facebook.com/shopeevn", host],
    ["https://www.linkedin.com/company/shopee", host],
    ["http://t.co/abc", host],
    ["https://constructor/shopeevn", host],
    ["https://__proto__/shopeevn", host],
    // Posts, videos
    ["https://www.facebook.com/shopeevn/posts/pfbid02abc", post],
    ["https://www.facebook.com/shopeevn/videos/1234567890", post],
    ["https://www.facebook.com/watch/?v=1234567890", post],
    ["https://www.facebook.com/reel/1234567890", post],
    ["https://www.facebook.com/permalink.php?story_fbid=1&id=2", post],
    ["https://www.facebook.com/photo/?fbid=123", post],
    ["https://www.facebook.com/share/p/1AbCdEf/", post],
    ["https://fb.watch/abcDEF/", post],
    ["https://www.tiktok.com/@shopee_vn/video/7312345678901234567", post],
    ["https://www.tiktok.com/@shopee_vn/photo/7312345678901234567", post],
    ["https://www.tiktok.com/video/7312345678901234567", post],
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", post],
    ["https://youtube.com/shorts/abcdefghijk", post],
    ["https://www.youtube.com/live/abcdefghijk", post],
    ["https://youtu.be/dQw4w9WgXcQ", post],
    ["https://www.youtube.com/@shopeevietnam/community/Ugkx123", post],
    ["https://www.instagram.com/p/C1abcDEF/", post],
    ["https://www.instagram.com/reel/C1abcDEF/", post],
    ["https://www.instagram.com/shopee_vn/p/C1abcDEF/", post],
    ["https://www.instagram.com/stories/shopee_vn/3212345/", post],
    ["https://x.com/shopeevn/status/1790000000000000000", post],
    ["https://twitter.com/i/web/status/1790000000000000000", post],
    ["https://www.threads.net/@zuck/post/C8abc", post],
    ["https://www.threads.net/t/C8abc", post],
    // Short and share links
    ["https://vm.tiktok.com/ZSabc123/", short],
    ["https://www.tiktok.com/t/ZSabc123/", short],
    ["https://www.facebook.com/share/1AbCdEf/", short],
    ["https://fb.me/shopeevn", short],
    // Other pages of a known network
    ["https://www.facebook.com/groups/123456789", notProfile],
    ["https://www.facebook.com/events/123456789", notProfile],
    ["https://www.facebook.com/shopeevn/about/contact", notProfile],
    ["https://www.tiktok.com/tag/shopee", notProfile],
    ["https://www.tiktok.com/shopee_vn", notProfile],
    ["https://www.tiktok.com/@shopee_vn/live", notProfile],
    ["https://www.youtube.com/results?search_query=shopee", notProfile],
    ["https://www.youtube.com/@shopeevietnam/videos/extra", notProfile],
    ["https://www.instagram.com/explore/tags/shopee/", notProfile],
    ["https://x.com/search?q=shopee", notProfile],
    ["https://x.com/i/lists/123", notProfile],
    ["https://zalo.me/g/abcxyz", notProfile],
    ["https://zalo.me/0912345678/extra", notProfile],
    ["https://www.threads.net/shopee_vn", notProfile],
    // A network without an account
    ["https://www.facebook.com/", missing],
    ["facebook.com", missing],
    ["https://www.facebook.com/profile.php", missing],
    ["https://www.facebook.com/people/Nguyen-Van-A/", missing],
    ["https://www.tiktok.com", missing],
    ["https://www.youtube.com/channel/", missing],
    ["https://x.com", missing],
    ["https://zalo.me/", missing],
    ["https://threads.com/", missing],
    ["https://instagram.com", missing],
    // Malformed account names
    ["https://www.facebook.com/profile.php?id=abc", "Tên tài khoản Facebook không hợp lệ"],
    ["https://www.facebook.com/shopee_vn", "Tên tài khoản Facebook không hợp lệ"],
    ["https://www.tiktok.com/@shopee-vn", "Tên tài khoản TikTok không hợp lệ"],
    ["https://www.tiktok.com/@a", "Tên tài khoản TikTok không hợp lệ"],
    ["https://www.youtube.com/@ab", "Tên tài khoản YouTube không hợp lệ"],
    ["https://www.youtube.com/channel/UCshort", "Tên tài khoản YouTube không hợp lệ"],
    ["https://www.instagram.com/shopee-vn", "Tên tài khoản Instagram không hợp lệ"],
    ["https://x.com/shopee.vn", "Tên tài khoản X (Twitter) không hợp lệ"],
    ["https://x.com/a_very_long_handle_indeed", "Tên tài khoản X (Twitter) không hợp lệ"],
    ["https://zalo.me/abc%20def", "Tên tài khoản Zalo không hợp lệ"],
    ["https://www.threads.net/@shopee-vn", "Tên tài khoản Threads không hợp lệ"],
  ])("refuses %j: %s", (input, message) => {
    expect(error(normalizeSocialProfile(input))).toBe(message);
  });

  describe("with the network known from elsewhere", () => {
    it.each<[string, SocialNetwork, string]>([
      ["@shopee_vn", "tiktok", "https://tiktok.com/@shopee_vn"],
      ["Shopee_VN", "tiktok", "https://tiktok.com/@shopee_vn"],
      ["shopeevn", "facebook", "https://facebook.com/shopeevn"],
      ["100012345678901", "facebook", "https://facebook.com/profile.php?id=100012345678901"],
      ["@ShopeeVietnam", "youtube", "https://youtube.com/@shopeevietnam"],
      ["shopee.vn", "instagram", "https://instagram.com/shopee.vn"],
      ["@ShopeeVN", "x", "https://x.com/shopeevn"],
      ["0912345678", "zalo", "https://zalo.me/0912345678"],
      ["@zuck", "threads", "https://threads.com/@zuck"],
      ["https://www.tiktok.com/@shopee_vn", "tiktok", "https://tiktok.com/@shopee_vn"],
      ["tiktok.com/@shopee_vn", "tiktok", "https://tiktok.com/@shopee_vn"],
    ])("accepts %j on %s", (input, network, url) => {
      expect(value(normalizeSocialProfile(input, network)).url).toBe(url);
    });

    it.each<[string, SocialNetwork, string]>([
      ["@", "tiktok", "Tên tài khoản TikTok không hợp lệ"],
      ["shopee vn", "tiktok", "Tên tài khoản TikTok không hợp lệ"],
      ["@shopee/video/123", "tiktok", post],
      ["https://www.facebook.com/shopeevn", "tiktok", "Liên kết này là trang Facebook, không phải TikTok"],
    ])("refuses %j on %s: %s", (input, network, message) => {
      expect(error(normalizeSocialProfile(input, network))).toBe(message);
    });
  });

  it("does not throw on input that is not a string", () => {
    expect(error(normalizeSocialProfile(untyped(undefined)))).toBe("Chưa nhập trang mạng xã hội");
  });
});

describe("zod schemas", () => {
  it.each([
    [TaxCodeSchema, "0101243150001", "0101243150-001"],
    [PhoneSchema, "0912 345 678", "+84912345678"],
    [EmailSchema, " Phap.Che@Shopee.VN", "phap.che@shopee.vn"],
    [PressLicenceSchema, "Số 123/GP-BTTTT ngày 01/02/2020", "123/GP-BTTTT"],
    [PractisingCertificateSchema, "000123 / hno-cchn", "000123/HNO-CCHN"],
  ] as const)("outputs the normalised value (%#)", (schema, input, output) => {
    expect(schema.parse(input)).toBe(output);
  });

  it("outputs a social profile", () => {
    expect(SocialProfileSchema.parse("https://www.tiktok.com/@Shopee_VN")).toEqual({
      network: "tiktok",
      handle: "shopee_vn",
      url: "https://tiktok.com/@shopee_vn",
    });
  });

  it.each([
    [TaxCodeSchema, "0106773787", "Mã số thuế sai số kiểm tra"],
    [
      PhoneSchema,
      "0412345678",
      "Đầu số không hợp lệ: di động bắt đầu bằng 03, 05, 07, 08, 09; cố định bắt đầu bằng 02",
    ],
    [EmailSchema, "phapche.shopee.vn", "Email phải có đúng một ký tự @"],
    [PressLicenceSchema, "123/BTTTT", "Số giấy phép phải có dạng số/GP-cơ quan cấp, ví dụ 123/GP-BTTTT"],
    [
      PractisingCertificateSchema,
      "012345/BYT-GP",
      "Số chứng chỉ hành nghề phải kết thúc bằng -CCHN hoặc -GPHN",
    ],
    [
      SocialProfileSchema,
      "https://youtu.be/dQw4w9WgXcQ",
      "Đây là liên kết bài viết hoặc video, không phải trang cá nhân",
    ],
  ] as const)("reports the Vietnamese error as the only issue (%#)", (schema, input, message) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]).toMatchObject({ code: "custom", message, path: [] });
  });

  it("reports a non-string in Vietnamese", () => {
    const result = TaxCodeSchema.safeParse(101243150);
    expect(result.error?.issues[0]?.message).toBe("Mã số thuế phải là chuỗi ký tự");
  });

  it("places the issue at the field when used in an object", () => {
    const Body = z.object({ phone: PhoneSchema.optional(), email: EmailSchema });
    expect(Body.parse({ email: "A@B.VN" })).toEqual({ email: "a@b.vn" });
    const result = Body.safeParse({ phone: "0912", email: "a@b.vn" });
    expect(result.error?.issues).toMatchObject([
      { path: ["phone"], message: "Số di động phải có 10 chữ số, kể cả số 0 ở đầu" },
    ]);
  });
});
