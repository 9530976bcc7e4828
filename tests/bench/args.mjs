// A benchmark's command line: positional numbers (REQUESTS, SIZE…) and `--name=value` / `--flag` options. Benchmarks
// take their own knobs here and read the product's settings (DATABASE_URL, REDIS_URL) through AppConfig, never
// from process.env directly.
export function benchArgs(argv = process.argv.slice(2)) {
  const positional = [];
  const options = {};
  for (const a of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
    if (m) options[m[1]] = m[2] ?? 'true';
    else positional.push(a);
  }
  return { positional, options };
}
