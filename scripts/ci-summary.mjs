#!/usr/bin/env node
// Reads a test log and prints one closing line: "N passed, N failed".
// Understands node:test's spec reporter ("ℹ pass N" / "ℹ fail N") and Hardhat's
// Mocha-style summaries ("N passing" / "N failing"), with or without turbo's "pkg:task: " prefix.
import { readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";

const file = process.argv[2];
if (!file) {
  console.error("usage: ci-summary.mjs <log-file>");
  process.exit(2);
}
// Strip ANSI colour codes before matching.
const text = stripVTControlCharacters(readFileSync(file, "utf8"));
let passed = 0;
let failed = 0;
for (const line of text.split("\n")) {
  let m = line.match(/ℹ (pass|fail) (\d+)\s*$/);
  if (m) {
    if (m[1] === "pass") passed += Number(m[2]);
    else failed += Number(m[2]);
    continue;
  }
  m = line.match(/(?:^|: |\s)(\d+) (passing|failing)\b/);
  if (m) {
    if (m[2] === "passing") passed += Number(m[1]);
    else failed += Number(m[1]);
  }
}
console.log(`${passed} passed, ${failed} failed`);
