import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const srcDir: string = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/** Every `.ts` source file under `dir` (tests included: they must not close a cycle either). */
function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Relative specifiers of every import and re-export, type-only ones included. */
function readImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text.startsWith(".")
    ) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

/** Finds import cycles in a module graph with a depth-first search; returns each cycle once. */
export function findImportCycles(dir: string): string[][] {
  const files = listSources(dir);
  const graph = new Map<string, string[]>(
    files.map((file) => [
      file,
      readImports(file).map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, ".ts"))),
    ]),
  );
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "visiting");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "visiting") {
        cycles.push(stack.slice(stack.indexOf(next)).map((path) => path.slice(dir.length + 1)));
      } else if (state.get(next) === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of files) if (state.get(file) === undefined) visit(file);
  return cycles;
}

test("packages/signer/src has no import cycles (type-only imports included)", () => {
  assert.deepEqual(findImportCycles(srcDir), []);
});

test("the cycle finder detects a cycle", async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "cycles-"));
  try {
    writeFileSync(join(dir, "a.ts"), 'import type { B } from "./b.js";\nexport type A = B;\n');
    writeFileSync(join(dir, "b.ts"), 'import { a } from "./a.js";\nexport type B = string;\n');
    assert.deepEqual(findImportCycles(dir), [["a.ts", "b.ts"]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
