// Validates an OpenAPI document with Redocly's OpenAPI core, independent of springdoc that
// generated it: the structure of the OpenAPI version the document declares ("struct"),
// every $ref resolved, and the minimal ruleset's other checks. Errors fail; warnings are
// printed. Usage: node validate-openapi.mjs <openapi.json>   (NODE_PATH: node_modules)
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const core = await import(pathToFileURL(path.join(process.env.NODE_PATH, '@redocly/openapi-core/lib/index.js')).href);
const file = path.resolve(process.argv[2]);
const config = await core.createConfig({
  extends: ['minimal'],
  rules: { struct: 'error', 'no-unresolved-refs': 'error', 'security-defined': 'error' },
});
const problems = await core.lint({ ref: file, config });
for (const problem of problems) {
  const where = (problem.location || []).map((l) => l.pointer).join(' ');
  console.error(`${problem.severity} ${problem.ruleId} ${where}: ${problem.message}`);
}
const errors = problems.filter((problem) => problem.severity === 'error');
console.log(JSON.stringify({ errors: errors.length, warnings: problems.length - errors.length }));
process.exit(errors.length > 0 ? 1 : 0);
