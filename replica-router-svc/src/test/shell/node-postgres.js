// node-postgres (the `pg` package) through the router: a read on a replica, a parameterised
// write in a transaction on the primary, a named prepared statement reused, and an error.
// Usage: node node-postgres.js PORT   (prints "node-postgres: ok" or exits non-zero)
const { Client } = require('pg');

async function main() {
  const client = new Client({ host: '127.0.0.1', port: Number(process.argv[2]), user: 'meridian',
    password: 'meridian', database: 'meridian' });
  await client.connect();
  // Where a statement ran, by the port of the server that answered (pg_is_in_recovery() is
  // answered by the writer: the router presents itself as the primary).
  const read = await client.query('select inet_server_port() as port');
  if (![15433, 15434].includes(read.rows[0].port)) throw new Error('read did not run on a replica: ' + read.rows[0].port);
  await client.query('create table if not exists router_node (id bigint primary key, note text)');
  await client.query('begin');
  const id = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  const written = await client.query('insert into router_node values ($1, $2) returning inet_server_port() as port', [id, 'node']);
  if (written.rows[0].port !== 15432) throw new Error('write did not run on the primary: ' + written.rows[0].port);
  await client.query('commit');
  for (let i = 0; i < 20; i++) {
    const r = await client.query({ name: 'router-node-double', text: 'select $1::int * 2 as doubled', values: [i] });
    if (r.rows[0].doubled !== i * 2) throw new Error('prepared statement returned ' + r.rows[0].doubled);
  }
  const back = await client.query('select note from router_node where id = $1', [id]);
  if (back.rows[0].note !== 'node') throw new Error('read-your-writes failed');
  try {
    await client.query('select * from no_such_table');
    throw new Error('an error was expected');
  } catch (e) {
    if (e.code !== '42P01') throw e;
  }
  await client.end();
  console.log('node-postgres: ok');
}

main().catch((e) => { console.error(e); process.exit(1); });
