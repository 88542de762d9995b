// prisma-apply.mjs DIR: apply a migrations directory the way Prisma's
// `migrate deploy` does (docs/testing.md, "Real histories"): on one
// connection, each folder's migration.sql sent whole as one simple-protocol
// query (an implicit transaction unless the file has BEGIN/COMMIT, so a
// CREATE INDEX CONCURRENTLY runs only alone in its file, and what a file
// SETs lasts for the later ones), folders in byte order, plain files
// ignored, a row per migration in "$PRISMA_SCHEMA"._prisma_migrations
// (default public) with the SHA-256 of the file's bytes.  STRIP_BOM=1 drops
// a UTF-8 byte-order mark first (Prisma sends it, and the server rejects
// it).  Connection: the libpq environment.  Not a test of the suite.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
const require = createRequire(new URL('../prisma/package.json', import.meta.url));
const pg = require('pg');
const dir = process.argv[2];
const PM = `"${process.env.PRISMA_SCHEMA || 'public'}"."_prisma_migrations"`;
const client = new pg.Client({ host: process.env.PGHOST, port: process.env.PGPORT, user: process.env.PGUSER, database: process.env.PGDATABASE });
await client.connect();
client.on('notice', () => {});
await client.query(`CREATE TABLE IF NOT EXISTS ${PM} (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
const names = fs.readdirSync(dir, { withFileTypes: true }).filter(e => e.isDirectory() && !e.name.startsWith('.'))
  .map(e => e.name).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
let n = 0;
for (const name of names) {
  const file = path.join(dir, name, 'migration.sql');
  const bytes = fs.readFileSync(file);
  const sum = crypto.createHash('sha256').update(bytes).digest('hex');
  const id = crypto.randomUUID();
  await client.query(`INSERT INTO ${PM} (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`, [id, sum, name]);
  try {
    let text = bytes.toString('utf8');
    if (process.env.STRIP_BOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    await client.query(text);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    await client.query(`UPDATE ${PM} SET logs = $2 WHERE id = $1`, [id, String(e.message)]);
    console.log(`FAILED ${name}: ${e.message}`);
    await client.end();
    process.exit(1);
  }
  await client.query(`UPDATE ${PM} SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
  n++;
}
console.log(`applied ${n} migrations`);
await client.end();
