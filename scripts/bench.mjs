// npm run bench: prints one table per section. Each file in scripts/bench/
// exports a default async function returning { title, columns, rows, note? }.
// Sections that need a Docker engine say so and print nothing else when none runs.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const dir = fileURLToPath(new URL('./bench/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

function printTable({ title, columns, rows, note }) {
  const cells = [columns, ...rows.map((r) => r.map(String))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n## ${title}\n`);
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r.map(String)));
  if (note) console.log(`\n${note}`);
}

for (const file of files) {
  const section = await import(pathToFileURL(path.join(dir, file)).href);
  const result = await section.default();
  for (const table of Array.isArray(result) ? result : [result]) printTable(table);
}
