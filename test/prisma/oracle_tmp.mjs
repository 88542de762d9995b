#!/usr/bin/env node
// Prisma as the oracle of ferriorm's prisma dialect.
//
// Drives Prisma's own engines, published on npm as WebAssembly and pinned
// in package.json / package-lock.json next to this file:
//   @prisma/prisma-schema-wasm   validator and formatter (prisma validate,
//                                prisma format)
//   @prisma/schema-engine-wasm   Prisma Migrate: schema -> DDL from empty
//                                (prisma migrate diff --from-empty
//                                --to-schema), database -> schema diff and
//                                introspection, through @prisma/adapter-pg
//
// Commands (one schema file each; output on stdout):
//   validate <file>            JSON {"accepted": bool, "message": "..."}
//   format <file>              Prisma's formatted text
//   create-sql <file> [<conninfo>]
//                              Prisma Migrate's DDL from an empty database
//                              (the engine connects to some database when it
//                              starts, even for this; default: the libpq
//                              environment PGHOST, PGPORT, PGUSER, PGDATABASE)
//   diff-db <file> <conninfo>  DDL that would take the live database to the
//                              schema; empty when there is no difference
//   deploy <file> <dir> <conninfo>
//                              Prisma's migrate deploy: applies the pending
//                              migration folders of <dir> to the database
//                              (Prisma's _prisma_migrations table), prints
//                              the names applied
//   introspect <conninfo> [<file>]
//                              Prisma's schema of the live database (db pull),
//                              from the generator and datasource blocks of
//                              <file> when given
//   schemas <file>             the datasource's schemas (multiSchema), a line
//                              each
//   same-models <a> <b>        facts of Prisma's DMMF (models, fields with
//                              every property, enums, indexes) that only one
//                              of two schemas has: "- " a, "+ " b; empty
//                              when both mean the same models
//   prepare <outdir> <file>... (connects like create-sql) for each file NAME.prisma, writes
//                              NAME.validate.json, NAME.format.prisma and
//                              NAME.create.sql (the last one only when the
//                              schema is accepted) in one process
//   migrate-sql <a> <b> [<conninfo>]
//                              (connects like create-sql) Prisma Migrate's
//                              migration from schema a to schema b, neither
//                              a database (prisma migrate diff --from-schema
//                              a --to-schema b)
//   evolve-prepare <outdir> <casedir>...
//                              (connects like create-sql) for each case
//                              directory NAME holding a.prisma and
//                              b.prisma (test/prisma/evolution), writes
//                              NAME.a.validate.json, NAME.b.validate.json
//                              and, when Prisma accepts both, NAME.a.sql and
//                              NAME.b.sql (DDL from an empty database), in
//                              one process
//   serve                      diff-db for many databases in one process:
//                              reads lines "diff-db<TAB><file><TAB><conninfo>
//                              <TAB><out>" from stdin, writes the DDL to
//                              <out> and answers "ok", or "error <message>",
//                              on a line of stdout for each
// Exit status: 0 when the command ran (a rejected schema included), 2 when
// the oracle itself failed (usage, engine panic, database error).
//
// Two adjustments, both in the direction of what Prisma means:
// - Prisma 7 rejects `url`, `directUrl` and `shadowDatabaseUrl` in a
//   datasource (they moved to prisma.config.ts); Prisma 6 required `url`.
//   ferriorm accepts both styles, so validate, create-sql and diff-db hand
//   Prisma the schema with those properties blanked out (same line numbers).
//   format gets the text verbatim.
// - @prisma/adapter-pg cannot decode PostgreSQL's one-byte "char" type
//   (oid 18), which the engine's catalog queries return (relkind, contype,
//   ...): its rows arrive as text instead (see pgPool below).  Without it,
//   diff-db and introspect fail with "Column type 'char' could not be
//   deserialized from the database".
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

function die(msg) {
	process.stderr.write(`prisma oracle: ${msg}\n`);
	process.exit(2);
}

// Blank out the URL properties of datasource blocks, keeping line numbers
// (a lone carriage return, a line end to Prisma, becomes a line feed).
export function stripDatasourceUrls(text) {
	const out = [];
	let inDs = false;
	for (const line of text.replace(/\r(?!\n)/g, '\n').split('\n')) {
		if (!inDs && /^\s*datasource\s+[^\s{]+\s*\{/.test(line)) inDs = true;
		else if (inDs && /^\s*\}/.test(line)) inDs = false;
		else if (inDs && /^\s*(url|directUrl|shadowDatabaseUrl)\s*=/.test(line)) {
			out.push('');
			continue;
		}
		out.push(line);
	}
	return out.join('\n');
}

let schemaWasm;
function psl() {
	if (!schemaWasm) schemaWasm = require('@prisma/prisma-schema-wasm');
	return schemaWasm;
}

export function validate(text) {
	try {
		psl().validate(JSON.stringify({ prismaSchema: [['schema.prisma', stripDatasourceUrls(text)]], noColor: true }));
		return { accepted: true, message: '' };
	} catch (e) {
		let message = String(e && e.message !== undefined ? e.message : e);
		try {
			const j = JSON.parse(message);
			if (j && typeof j.message === 'string') message = j.message;
		} catch { /* plain text */ }
		if (!/error/i.test(message)) throw e; // a panic, not a verdict
		return { accepted: false, message };
	}
}

export function format(text) {
	const params = { textDocument: { uri: 'file:/dev/null' }, options: { tabSize: 2, insertSpaces: true } };
	const res = JSON.parse(psl().format(JSON.stringify([['schema.prisma', text]]), JSON.stringify(params)));
	return res[0][1];
}

// A pg pool whose result fields of type "char" (oid 18) are announced as
// text (oid 25): the value is the same one-character string either way.
async function pgPool(conninfo) {
	const pg = (await import('pg')).default;
	const fix = (res) => {
		for (const r of [].concat(res)) {
			const charCols = [];
			((r && r.fields) || []).forEach((f, i) => {
				if (f.dataTypeID === 18) {
					f.dataTypeID = 25;
					charCols.push(i);
				}
			});
			// the rows array reaches the engine as is: see charColumnTypes
			if (charCols.length && r.rows) r.rows.charCols = charCols;
		}
		return res;
	};
	// no conninfo: node-postgres reads PGHOST, PGPORT, PGUSER, PGDATABASE
	const opts = !conninfo ? {} : conninfo.includes('=') && !conninfo.includes('://')
		? keywordConninfo(conninfo) : { connectionString: conninfo };
	delete opts.schema;			// the adapter's, below
	const pool = new pg.Pool(opts);
	// an idle connection's error (the engine that used it panicked) is not
	// the caller's: its queries report their own errors
	pool.on('error', () => {});
	pool.on('connect', (client) => {
		const query = client.query.bind(client);
		client.query = (...args) => {
			const cb = args[args.length - 1];
			if (typeof cb === 'function') {
				args[args.length - 1] = (err, res) => cb(err, err ? res : fix(res));
				return query(...args);
			}
			const r = query(...args);
			return r && typeof r.then === 'function' ? r.then(fix) : r;
		};
	});
	return pool;
}

// The columns of type "char" that pgPool announced as text go to the engine
// as Prisma's Character column type: the engine reads some of them
// (pg_constraint.contype of a CHECK constraint) as a char and panics on text.
// The adapter's queryRaw returns the rows array it got from the pool, marked
// there with the indexes of those columns.  The prototypes patched are the
// module's (shared by every call): one set for the process, or each call
// would wrap queryRaw once more, until a long fuzz run overflowed the stack
// (fuzz.mjs --ddl seed 63).
const patched = new Set();
function charColumnTypes(factory) {
	const connect = factory.connect.bind(factory);
	factory.connect = async (...args) => {
		const conn = await connect(...args);
		let proto = conn;
		wholeScripts(conn);
		while (proto && !Object.hasOwn(proto, 'queryRaw')) proto = Object.getPrototypeOf(proto);
		if (proto && !patched.has(proto)) {
			patched.add(proto);
			const queryRaw = proto.queryRaw;
			proto.queryRaw = async function (query) {
				const r = await queryRaw.call(this, query);
				for (const i of (r && r.rows && r.rows.charCols) || []) r.columnTypes[i] = ColumnTypeEnum.Character;
				return r;
			};
		}
		return conn;
	};
	return factory;
}

// A migration script goes to the server whole, in one simple query, as
// Prisma's native schema engine sends it (raw_cmd): @prisma/adapter-pg
// 7.10.1 splits it at every ";", inside dollar-quoted function bodies and
// string literals too, and runs the pieces one by one outside a
// transaction, so `deploy` failed on real histories with a plpgsql function.
function wholeScripts(conn) {
	let p = conn;
	while (p && !Object.hasOwn(p, 'executeScript')) p = Object.getPrototypeOf(p);
	if (!p || p.wholeScripts) return;
	p.wholeScripts = true;
	p.executeScript = async function (script) {
		try {
			await this.client.query(script);
		} catch (error) {
			this.onError(error);
		}
	};
}

// "host=/tmp port=5432 dbname=x user=y" -> pg.Pool options
function keywordConninfo(s) {
	const o = {};
	for (const m of s.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)) {
		let v = m[2];
		if (v.startsWith("'")) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
		o[m[1] === 'dbname' ? 'database' : m[1]] = m[1] === 'port' ? Number(v) : v;
	}
	return o;
}

// The engine reports a Rust panic's message here before it traps (as
// Prisma's CLI sets it up); without it the trap hides the message.
let panicMessage = null;
globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (m) => { panicMessage = m; } };
process.on('uncaughtException', (e) => die(`engine panic: ${panicMessage || ''} ${e && e.message}`));

let engineRuntime;
let engineGeneration = 0;
let ColumnTypeEnum;
// Forget the engine's WebAssembly instance: the next call makes a new one
// (after a panic, the old instance is poisoned), with a fresh copy of the
// bindings' module too, whose views of the old instance's memory would
// otherwise stay.
export function resetEngine() {
	engineRuntime = undefined;
	engineGeneration++;
}
async function schemaEngine(text, conninfo) {
	if (!engineRuntime) {
		// Instantiated by hand, as Prisma's CLI does: the package's entry point
		// imports the .wasm file as an ES module, which Node 20 cannot.
		const bindings = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
		const runtime = engineGeneration === 0 ? await import('@prisma/schema-engine-wasm/schema_engine_bg')
			: await import(`${pathToFileURL(bindings).href}?generation=${engineGeneration}`);
		const wasmFile = path.join(path.dirname(bindings), 'schema_engine_bg.wasm');
		const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmFile)),
			{ './schema_engine_bg.js': runtime });
		runtime.__wbg_set_wasm(instance.exports);
		instance.exports.__wbindgen_start();
		engineRuntime = runtime;
	}
	const { PrismaPg } = await import('@prisma/adapter-pg');
	const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum: cte } = await import('@prisma/driver-adapter-utils');
	ColumnTypeEnum = cte;
	// the engine connects when it starts, even for create-sql
	const pool = await pgPool(conninfo);
	// "schema=NAME" (not libpq's: the oracle's own keyword, or "?schema=" of a
	// URL) is Prisma's schema parameter of the datasource URL: the schema the
	// engine reads and writes when the datasource lists none
	const schemaParam = !conninfo ? null : conninfo.includes('://')
		? new URL(conninfo).searchParams.get('schema')
		: (keywordConninfo(conninfo).schema || null);
	const adapter = bindMigrationAwareSqlAdapterFactory(charColumnTypes(
		new PrismaPg(pool, schemaParam ? { schema: schemaParam } : undefined)));
	const log = process.env.PRISMA_ORACLE_DEBUG ? (m) => process.stderr.write(`engine: ${m}\n`) : () => {};
	try {
		const engine = await engineRuntime.SchemaEngine.new(
			{ datamodels: [['schema.prisma', text]] }, log, adapter);
		return { engine, pool, adapter };
	} catch (e) {
		await pool.end();
		throw driverError(adapter, e);
	}
}

// The database error behind the engine's "External error id#N"
function driverError(adapter, e) {
	const m = /External error id#(\d+)/.exec(String(e && e.message));
	const found = m && adapter.errorRegistry.consumeError(Number(m[1]));
	if (!found) return e;
	const err = found.error;
	return new Error(`database: ${err && err.message ? err.message : JSON.stringify(err)}`);
}

const noFilter = { externalTables: [], externalEnums: [] };
const files = (text) => [{ path: 'schema.prisma', content: text }];

// Run fn(engine) on a schema engine started for the schema text, always
// freeing it; database errors come back with their own message.
async function withEngine(text, conninfo, fn) {
	const { engine, pool, adapter } = await schemaEngine(text, conninfo);
	try {
		return await fn(engine);
	} catch (e) {
		throw driverError(adapter, e);
	} finally {
		engine.free();
		await pool.end();
	}
}

export async function createSql(text, conninfo) {
	text = stripDatasourceUrls(text);
	return withEngine(text, conninfo, async (engine) => {
		const r = await engine.diff({ from: { tag: 'empty' }, to: { tag: 'schemaDatamodel', files: files(text) },
			script: true, exitCode: null, filters: noFilter });
		return r.stdout || '';
	});
}

export async function diffDb(text, conninfo) {
	text = stripDatasourceUrls(text);
	return withEngine(text, conninfo, async (engine) => {
		const r = await engine.diff({
			from: { tag: 'schemaDatasource', files: files(text), configDir: process.cwd() },
			to: { tag: 'schemaDatamodel', files: files(text) },
			script: true, exitCode: true, filters: noFilter,
		});
		return r.exitCode === 2 ? (r.stdout || '') : '';
	});
}

// Prisma Migrate's migration from one schema text to another, neither of
// them a database: `prisma migrate diff --from-schema a --to-schema b`.
// The engine is started for the target schema (its datasource: provider,
// schemas); the diff reads both texts.
export async function migrateSql(fromText, toText, conninfo) {
	fromText = stripDatasourceUrls(fromText);
	toText = stripDatasourceUrls(toText);
	return withEngine(toText, conninfo, async (engine) => {
		const r = await engine.diff({ from: { tag: 'schemaDatamodel', files: files(fromText) },
			to: { tag: 'schemaDatamodel', files: files(toText) },
			script: true, exitCode: null, filters: noFilter });
		return r.stdout || '';
	});
}

// Prisma's `migrate deploy`: every migration folder of dir (in name order,
// each with its migration.sql) applied to the database that the schema's
// datasource stands for, with Prisma's own _prisma_migrations table.
// Returns the names applied.
export async function deployMigrations(text, dir, conninfo) {
	text = stripDatasourceUrls(text);
	const base = path.resolve(dir);
	const lockPath = path.join(base, 'migration_lock.toml');
	const migrationDirectories = fs.readdirSync(base, { withFileTypes: true })
		.filter((d) => d.isDirectory()).map((d) => d.name).sort()
		.map((name) => {
			let content;
			try {
				content = { tag: 'ok', value: fs.readFileSync(path.join(base, name, 'migration.sql'), 'utf8') };
			} catch (e) {
				content = { tag: 'error', value: String(e.message) };
			}
			return { path: name, migrationFile: { path: 'migration.sql', content } };
		});
	return withEngine(text, conninfo, async (engine) => {
		const r = await engine.applyMigrations({
			migrationsList: {
				baseDir: base,
				lockfile: { path: 'migration_lock.toml',
					content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
				shadowDbInitScript: '',
				migrationDirectories,
			},
			filters: noFilter,
		});
		return r.appliedMigrationNames;
	});
}

// The generator and datasource blocks of a schema (its models, enums and
// views left out): the base that `prisma db pull` starts from.
export function configBlocks(text) {
	const out = [];
	let keep = false;
	for (const line of stripDatasourceUrls(text).split('\n')) {
		if (/^\s*(generator|datasource)\s+\w+\s*\{/.test(line)) keep = true;
		if (keep) out.push(line);
		if (keep && /^\s*\}/.test(line)) {
			keep = false;
			out.push('');
		}
	}
	return out.join('\n');
}

// Prisma's introspection of the live database; with a schema text, from its
// generator and datasource blocks (schemas, extensions, preview features).
export async function introspect(conninfo, base) {
	const text = base !== undefined ? (process.env.REINTRO ? stripDatasourceUrls(base) : configBlocks(base)) : 'datasource db {\n  provider = "postgresql"\n}\n';
	return withEngine(text, conninfo, async (engine) => {
		const r = await engine.introspect({ schema: { files: files(text) }, baseDirectoryPath: process.cwd(),
			force: process.env.REINTRO ? false : true, compositeTypeDepth: -1, namespaces: null });
		return r.schema.files.map((f) => f.content).join('\n');
	});
}

// The datasource's schemas (multiSchema), one a line; none when not set.
export function datasourceSchemas(text) {
	const params = { prismaSchema: [['schema.prisma', stripDatasourceUrls(text)]], datasourceOverrides: {},
		ignoreEnvVarErrors: true, env: {} };
	const c = JSON.parse(psl().get_config(JSON.stringify(params)));
	const ds = c.config && c.config.datasources && c.config.datasources[0];
	return (ds && ds.schemas) || [];
}

// One line per fact of Prisma's DMMF of a schema: every model with its
// names, keys and uniques, every field with all its properties, every enum,
// every index.  Documentation is left out (Prisma's introspection writes
// its own notes there).  Sorted, so that order in the text does not count.
// One equivalence, Prisma's own (docs/pull.md lists it): a time type
// without precision is precision 6 (Prisma's introspection writes
// @db.Timestamptz(6) for a timestamptz column, whose type differs from
// timestamptz(6) in PostgreSQL's catalog; ferriorm_pull writes
// @db.Timestamptz, which gives that column back).
export function modelFacts(text) {
	const d = JSON.parse(psl().get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', stripDatasourceUrls(text)]] })));
	const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x)
		? Object.fromEntries(Object.keys(x).filter((key) => key !== 'documentation').sort().map((key) => [key, x[key]]))
		: x));
	const facts = [];
	for (const e of d.datamodel.enums) facts.push(`enum ${e.name} ${canon({ ...e, name: undefined })}`);
	const timeTypes = ['Timestamp', 'Timestamptz', 'Time', 'Timetz'];
	const precision6 = (f) => (Array.isArray(f.nativeType) && timeTypes.includes(f.nativeType[0])
		&& f.nativeType[1].length === 0 ? { ...f, nativeType: [f.nativeType[0], ['6']] } : f);
	for (const m of d.datamodel.models) {
		const { fields, name, ...rest } = m;
		facts.push(`model ${name} ${canon(rest)}`);
		for (const f of fields) facts.push(`field ${name}.${f.name} ${canon({ ...precision6(f), name: undefined })}`);
	}
	for (const i of d.datamodel.indexes) facts.push(`index ${i.model} ${canon({ ...i, model: undefined })}`);
	return facts.sort();
}

// Facts of a that b lacks ("- "), and of b that a lacks ("+ ").
export function sameModels(a, b) {
	const fa = modelFacts(a);
	const fb = modelFacts(b);
	const sb = new Set(fb);
	const sa = new Set(fa);
	return [...fa.filter((x) => !sb.has(x)).map((x) => `- ${x}`), ...fb.filter((x) => !sa.has(x)).map((x) => `+ ${x}`)];
}

async function main(argv) {
	const [cmd, ...args] = argv;
	const read = (f) => {
		try {
			return fs.readFileSync(f, 'utf8');
		} catch (e) {
			die(`cannot read ${f}: ${e.message}`);
		}
	};
	switch (cmd) {
	case 'validate':
		if (args.length !== 1) break;
		process.stdout.write(JSON.stringify(validate(read(args[0]))) + '\n');
		return;
	case 'format':
		if (args.length !== 1) break;
		process.stdout.write(format(read(args[0])));
		return;
	case 'create-sql':
		if (args.length !== 1 && args.length !== 2) break;
		process.stdout.write(await createSql(read(args[0]), args[1]));
		return;
	case 'diff-db':
		if (args.length !== 2) break;
		process.stdout.write(await diffDb(read(args[0]), args[1]));
		return;
	case 'deploy':
		if (args.length !== 3) break;
		for (const n of await deployMigrations(read(args[0]), args[1], args[2])) process.stdout.write(`${n}\n`);
		return;
	case 'introspect':
		if (args.length !== 1 && args.length !== 2) break;
		process.stdout.write(await introspect(args[0], args[1] !== undefined ? read(args[1]) : undefined));
		return;
	case 'schemas':
		if (args.length !== 1) break;
		for (const n of datasourceSchemas(read(args[0]))) process.stdout.write(`${n}\n`);
		return;
	case 'same-models': {
		if (args.length !== 2) break;
		for (const line of sameModels(read(args[0]), read(args[1]))) process.stdout.write(`${line}\n`);
		return;
	}
	case 'prepare': {
		if (args.length < 2) break;
		const [outdir, ...inputs] = args;
		fs.mkdirSync(outdir, { recursive: true });
		for (const f of inputs) {
			const name = path.basename(f).replace(/\.prisma$/, '');
			const text = read(f);
			const v = validate(text);
			fs.writeFileSync(path.join(outdir, `${name}.validate.json`), JSON.stringify(v) + '\n');
			fs.writeFileSync(path.join(outdir, `${name}.format.prisma`), format(text));
			if (v.accepted) fs.writeFileSync(path.join(outdir, `${name}.create.sql`), await createSql(text));
		}
		return;
	}
	case 'migrate-sql':
		if (args.length !== 2 && args.length !== 3) break;
		process.stdout.write(await migrateSql(read(args[0]), read(args[1]), args[2]));
		return;
	case 'evolve-prepare': {
		if (args.length < 2) break;
		const [outdir, ...cases] = args;
		fs.mkdirSync(outdir, { recursive: true });
		const out = (name, suffix, text) => fs.writeFileSync(path.join(outdir, `${name}.${suffix}`), text);
		for (const dir of cases) {
			const name = path.basename(dir.replace(/\/+$/, ''));
			const a = read(path.join(dir, 'a.prisma'));
			const b = read(path.join(dir, 'b.prisma'));
			const va = validate(a);
			const vb = validate(b);
			out(name, 'a.validate.json', JSON.stringify(va) + '\n');
			out(name, 'b.validate.json', JSON.stringify(vb) + '\n');
			if (!va.accepted || !vb.accepted) continue;
			out(name, 'a.sql', await createSql(a));
			out(name, 'b.sql', await createSql(b));
		}
		return;
	}
	case 'serve': {
		if (args.length !== 0) break;
		const readline = await import('node:readline');
		for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
			const [what, file, conninfo, out] = line.split('\t');
			if (what !== 'diff-db' || out === undefined) die(`serve: cannot read the request "${line}"`);
			let answer = 'ok';
			try {
				fs.writeFileSync(out, await diffDb(read(file), conninfo));
			} catch (e) {
				answer = `error ${String((e && e.message) || e).replace(/\s+/g, ' ')}`;
			}
			process.stdout.write(`${answer}\n`);
		}
		return;
	}
	default:
		break;
	}
	die('usage: oracle.mjs validate|format <file> | create-sql <file> [<conninfo>] | diff-db <file> <conninfo> | '
		+ 'deploy <file> <migrations-dir> <conninfo> | introspect <conninfo> [<file>] | schemas <file> | same-models <a> <b> | prepare <outdir> <file>... '
		+ '| migrate-sql <a> <b> [<conninfo>] | evolve-prepare <outdir> <casedir>... | serve');
}

// run as a command, not when another script imports the functions above
if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname)
	main(process.argv.slice(2)).then(() => process.exit(0),
		(e) => die(e && (process.env.PRISMA_ORACLE_DEBUG ? e.stack : e.message) || String(e)));
