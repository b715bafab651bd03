export { writeCoverageXlsx } from "./coverage-report";
export type { ReadOptions, ReadResult, TableRow } from "./read";
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, readTable } from "./read";
export { writePeriodicReviewXlsx, writeQuickCaseXlsx } from "./review-report";
export type { CellInput, SheetInput } from "./write";
export { neutralizeFormula, writeCsv, writeXlsx, writeXlsxWorkbook } from "./write";
