/** Test helpers: run the poppler and qpdf command-line tools on PDF bytes. Not part of the package's API. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[]): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`${command} could not run (${error.message}); install poppler-utils and qpdf`));
        return;
      }
      resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
    });
  });
}

/** Runs `use` with a temporary directory, removed afterwards. */
export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "pledgewatch-documents-"));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes the PDF to a temporary file and runs the tool on it (the file's path replaces "{}" in args). */
export function onPdf(pdf: Uint8Array, command: string, args: string[]): Promise<ToolResult> {
  return withTempDir(async (dir) => {
    const file = join(dir, "in.pdf");
    await writeFile(file, pdf);
    return run(
      command,
      args.map((a) => (a === "{}" ? file : a)),
    );
  });
}

export async function pdfText(pdf: Uint8Array, ...options: string[]): Promise<string> {
  const result = await onPdf(pdf, "pdftotext", [...options, "-enc", "UTF-8", "{}", "-"]);
  if (result.code !== 0) throw new Error(`pdftotext failed: ${result.stderr}`);
  return result.stdout;
}

/** Text with all runs of white space made one space, for phrases that wrap across lines. */
export const flat = (text: string) => text.replace(/\s+/g, " ");

export const pdfsig = (pdf: Uint8Array) => onPdf(pdf, "pdfsig", ["{}"]);
export const qpdfCheck = (pdf: Uint8Array) => onPdf(pdf, "qpdf", ["--check", "{}"]);

/** Encrypts with qpdf (AES-256, user password "user", owner password "owner"). */
export function encryptWithQpdf(pdf: Uint8Array): Promise<Uint8Array> {
  return withTempDir(async (dir) => {
    const input = join(dir, "in.pdf");
    const output = join(dir, "out.pdf");
    await writeFile(input, pdf);
    const result = await run("qpdf", ["--encrypt", "user", "owner", "256", "--", input, output]);
    if (result.code !== 0) throw new Error(`qpdf --encrypt failed: ${result.stderr}`);
    return new Uint8Array(await readFile(output));
  });
}
