// What the benchmarks that compare a request with its own SQL share: the statements the app's pool runs during a
// request, recorded so that a bare `pg` client can replay exactly them, and the statistics they print.

/** Record the SQL (text and a copy of the parameters) the app's pool runs while `log.on` is set. */
export function recorder(ds) {
  const log = { on: false, statements: [] };
  ds.driver.master.on('acquire', (client) => {
    if (client.__wrapped) return;
    client.__wrapped = true;
    const query = client.query.bind(client);
    client.query = (...args) => {
      if (log.on) {
        const text = typeof args[0] === 'string' ? args[0] : args[0]?.text;
        const values = typeof args[0] === 'string' ? args[1] : args[0]?.values;
        // a copy: the app may push to its parameter array after the statement (the next statement's parameters)
        if (typeof text === 'string') log.statements.push({ text, values: Array.isArray(values) ? [...values] : [] });
      }
      return query(...args);
    };
  });
  return log;
}

/** Replay recorded statements on a bare client; answers the milliseconds they took. */
export async function replay(client, statements) {
  const t0 = process.hrtime.bigint();
  for (const s of statements)
    await client.query(s.text, s.values).catch((e) => {
      throw new Error(`${e.message} replaying ${s.text} with ${JSON.stringify(s.values)}`);
    });
  return ms(t0);
}

export const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
