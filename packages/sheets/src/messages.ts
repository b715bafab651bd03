import { formatBytes, groupThousands } from "./number";

/**
 * Every message a user can see when an upload is refused. They are shown as is in the staff UI, so each one
 * says what is wrong and, where the user can fix it, how.
 */
export const messages = {
  tooLarge: (maxBytes: number) => `Tệp quá lớn (tối đa ${formatBytes(maxBytes)})`,
  notSpreadsheet: "Tệp không phải XLSX hoặc CSV",
  legacyOrEncrypted:
    "Tệp không phải XLSX hoặc CSV: đây là bảng tính Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu. " +
    "Hãy mở tệp trong Excel, bỏ mật khẩu nếu có, rồi lưu lại dưới dạng “Excel Workbook (*.xlsx)”.",
  brokenXlsx: "Tệp XLSX bị hỏng hoặc không đọc được. Hãy mở tệp trong Excel và lưu lại dưới dạng .xlsx.",
  xlsxUnpackedTooLarge: (maxBytes: number) =>
    `Tệp XLSX quá lớn sau khi giải nén (tối đa ${formatBytes(maxBytes)})`,
  noWorksheet: "Tệp XLSX không có trang tính nào",
  encoding:
    "Tệp CSV không ở mã UTF-8 hoặc UTF-16. Hãy mở tệp trong Excel, chọn “Lưu thành” (Save As) với định dạng " +
    "“CSV UTF-8 (Comma delimited) (*.csv)”, rồi tải lên lại.",
  unterminatedQuote: (rowNumber: number) =>
    `Tệp CSV có dấu ngoặc kép (") mở ở dòng ${groupThousands(rowNumber)} nhưng không được đóng`,
  noHeader: "Tệp không có dòng tiêu đề",
  tooManyRows: (maxRows: number) => `Quá nhiều dòng (tối đa ${groupThousands(maxRows)})`,
} as const;
