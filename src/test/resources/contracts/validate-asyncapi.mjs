// Parses and validates an AsyncAPI document with @asyncapi/parser (the official parser:
// spec schema, $refs resolved, semantic rules) and prints the channels and messages it
// found as JSON, so the Java test can compare them with the code.
// Usage: node validate-asyncapi.mjs <asyncapi.yaml>   (NODE_PATH: the parser's node_modules)

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH, 'noop.js'));
const { Parser, fromFile } = require('@asyncapi/parser');

const file = path.resolve(process.argv[2]);
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, file).parse({
  source: pathToFileURL(file).href,
});
// Severity 0 is an error, 1 a warning: both fail the build, so the document stays clean.
const problems = diagnostics.filter((d) => d.severity <= 1);
for (const d of problems) {
  console.error(`${d.severity === 0 ? 'error' : 'warning'} ${d.code} at ${(d.path || []).join('.')}: ${d.message}`);
}
if (!document || problems.length > 0) {
  process.exit(1);
}
const channels = document.channels().all().map((channel) => ({
  address: channel.address(),
  partitions: channel.bindings().get('kafka')?.value()?.partitions ?? null,
  messages: channel.messages().all().map((message) => ({
    name: message.name(),
    title: message.title() ?? null,
    type: message.payload()?.allOf()?.[1]?.properties()?.type?.const() ?? null,
    dataschema: message.payload()?.allOf()?.[0]?.properties()?.dataschema?.const() ?? null,
    dataId: message.payload()?.allOf()?.[0]?.properties()?.data?.id() ?? null,
  })),
}));
console.log(JSON.stringify({ version: document.version(), channels }));
