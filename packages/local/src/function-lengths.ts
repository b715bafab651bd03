import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/**
 * Lists the functions of the source longer than a limit (250 lines unless `--max N`), longest first, and
 * exits 1 when there is one: `npm run lint:functions`. Tests, catalogues (i18n), seed data and the demo
 * marketplace's pages are left out — they are data, not behaviour. `--top N` prints the N longest whatever
 * their length.
 */
const ROOTS = ["packages", "functions", "infra"];
const SKIP_DIR = new Set(["node_modules", "cdk.out", "dist", "seed", "i18n", "fixtures"]);
const SKIP_FILE = /(\.test\.tsx?|\.d\.ts)$/;

export interface FunctionLength {
  file: string;
  line: number;
  name: string;
  lines: number;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (SKIP_DIR.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(entry) && !SKIP_FILE.test(entry)) out.push(path);
  }
  return out;
}

function nameOf(node: ts.Node): string {
  const parent = node.parent;
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name)
    return node.name.getText();
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (parent && ts.isCallExpression(parent))
    return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return "(anonymous)";
}

/** Every function-like node of one file with its length in lines. */
export function functionLengths(path: string, text: string, root = process.cwd()): FunctionLength[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node)
    ) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ file: relative(root, path), line: start + 1, name: nameOf(node), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function main(argv: string[]) {
  const flag = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? Number(argv[at + 1]) : undefined;
  };
  const max = flag("--max") ?? 250;
  const top = flag("--top");
  const all = ROOTS.flatMap((root) => sourceFiles(root))
    .flatMap((file) => functionLengths(file, readFileSync(file, "utf8")))
    .sort((a, b) => b.lines - a.lines);
  const shown = top ? all.slice(0, top) : all.filter((f) => f.lines > max);
  for (const f of shown) console.log(`${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}`);
  const over = all.filter((f) => f.lines > max);
  if (over.length > 0) {
    console.error(`${over.length} function(s) longer than ${max} lines.`);
    process.exitCode = 1;
  } else console.error(`No function longer than ${max} lines (${all.length} functions).`);
}

if (process.argv[1]?.endsWith("function-lengths.ts")) main(process.argv.slice(2));
