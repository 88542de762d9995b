#!/usr/bin/env node
// Differential fuzzing of the prisma dialect against Prisma's own engines.
//
//   node test/prisma/fuzz.mjs [--seconds N | --count N] [--seed S] [--out DIR]
//                             [--known FILE] [--ddl | --self] SEED.prisma...
//
// Mutates the seed schemas (an attribute added or removed, a type, a
// default or a native type changed, a line duplicated, dropped or moved, a
// name replaced, comments and white space inserted), and asks of every
// mutant both Prisma's validator (@prisma/prisma-schema-wasm, pinned in
// package.json) and ferriorm_validate() in the database of the libpq
// environment (ferriorm installed, ferriorm.dialect = prisma):
//   accept  do both accept it, or both reject it?
//   format  when both accept it, is ferriorm_format() byte for byte what
//           Prisma's formatter writes?
// A disagreement is reduced (lines, then characters of lines, removed while
// the same disagreement stays) and kept once per kind of disagreement
// (its kind, direction and the first message, names and numbers masked) in
// DIR (default /tmp/ferriorm-fuzz): NNN.prisma, the reduced schema, and
// NNN.txt, what each side said.  --known FILE names the kinds that are
// deliberate differences (docs/language.md), one regular expression per
// line ('#' comments), matched against the kind's key: those are counted
// and not reported.  Prints a summary; the exit status is 1 when a kind
// not known disagreed.  With --count (N mutants, not a time limit) a run
// is deterministic for a seed: the test command runs one
// (test/scripts/prisma_fuzz.sh; docs/testing.md, "Differential fuzzing").
// --ddl adds, for mutants both accept, the comparison of what both sides'
// DDL builds (ddlDisagreement); --self is the ferriorm dialect against
// itself, without Prisma: convergence and the two ways along a mutation
// (selfDisagreement; seeds such as test/roundtrip/*.ferriorm).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { validate as prismaValidate, format as prismaFormat, stripDatasourceUrls, createSql, diffDb, resetEngine, configBlocks, datasourceSchemas } from './oracle.mjs';

const require = createRequire(import.meta.url);
const pg = require('pg');

// ---- arguments ----------------------------------------------------------
const argv = process.argv.slice(2);
let seconds = 60, count = 0, seed = 1, out = '/tmp/ferriorm-fuzz', knownFile = null, ddl = false, self = false;
const seeds = [];
for (let i = 0; i < argv.length; i++) {
	if (argv[i] === '--seconds') seconds = Number(argv[++i]);
	else if (argv[i] === '--count') count = Number(argv[++i]);
	else if (argv[i] === '--seed') seed = Number(argv[++i]);
	else if (argv[i] === '--out') out = argv[++i];
	else if (argv[i] === '--known') knownFile = argv[++i];
	else if (argv[i] === '--ddl') ddl = true;
	else if (argv[i] === '--self') ddl = self = true;
	else seeds.push(argv[i]);
}
if (!seeds.length || !(seconds > 0) || !(count >= 0)) {
	process.stderr.write('usage: fuzz.mjs [--seconds N | --count N] [--seed S] [--out DIR] [--known FILE] [--ddl | --self] SEED.prisma...\n');
	process.exit(2);
}
const known = knownFile ? fs.readFileSync(knownFile, 'utf8').split('\n')
	.map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => new RegExp(l)) : [];
const texts = seeds.map((f) => fs.readFileSync(f, 'utf8'));
fs.mkdirSync(out, { recursive: true });

// ---- a small deterministic PRNG (mulberry32) ----------------------------
let state = seed >>> 0;
function rnd() {
	state = (state + 0x6D2B79F5) >>> 0;
	let t = state;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;

// ---- the pieces mutations use -------------------------------------------
const SCALARS = ['Int', 'String', 'BigInt', 'Float', 'Decimal', 'Boolean', 'DateTime', 'Json', 'Bytes'];
const NATIVE = ['@db.VarChar(10)', '@db.VarChar', '@db.Text', '@db.Uuid', '@db.Char(3)', '@db.Timestamptz(3)',
	'@db.Timestamp(0)', '@db.Date', '@db.Time(2)', '@db.Timetz', '@db.Decimal(10, 2)', '@db.Decimal', '@db.Money',
	'@db.SmallInt', '@db.Integer', '@db.BigInt', '@db.Oid', '@db.Real', '@db.DoublePrecision', '@db.Boolean',
	'@db.Bit(3)', '@db.VarBit', '@db.Xml', '@db.Inet', '@db.Json', '@db.JsonB', '@db.ByteA', '@db.Citext'];
const DEFAULTS = ['0', '-1', '1.5', '"x"', '""', 'true', 'false', 'now()', 'uuid()', 'uuid(7)', 'cuid()', 'cuid(2)',
	'nanoid()', 'ulid()', 'autoincrement()', 'sequence()', 'dbgenerated("1")', 'dbgenerated()', '[]', '[1, 2]',
	'["a"]', '"2020-01-01T00:00:00Z"', '"{}"', 'A', 'DRAFT', '1e3', '0x10', 'null'];
const FIELD_ATTRS = ['@id', '@unique', '@updatedAt', '@ignore', '@map("m")', '@map(name: "m")', '@id(map: "p")',
	'@unique(map: "u")', '@unique(sort: Desc)', '@id(sort: Desc)', '@unique(length: 4)', '@relation("R")',
	'@relation(onDelete: Cascade)', '@default(now())', '@unique(clustered: true)', '@db', '@'];
const BLOCK_ATTRS = ['@@index([F])', '@@index([F, G])', '@@unique([F, G])', '@@id([F, G])', '@@map("t")',
	'@@index([F(sort: Desc)])', '@@index([F], type: Hash)', '@@index([F], type: Gin)', '@@index([F], map: "i")',
	'@@unique([F], name: "n")', '@@ignore', '@@schema("public")', '@@index([F(ops: raw("text_ops"))], type: Gist)',
	'@@fulltext([F])', '@@index([F], where: raw("1 = 1"))', '@@unique([F, F])', '@@index([])'];
const COMMENTS = ['// c', '/// doc', '/* b */', '//', '///', '// ä ü', '/// @deprecated'];
const NAMES = ['id', 'x', 'Model', 'model', 'enum', 'type', 'String', '_a', 'a1', 'ä', 'A_B', 'public', 'db',
	'name', 'userId', 'User', 'relation', 'default', 'true'];

// the blocks of a text: [start line, end line] of each `word Name {` ... `}`
function blocks(lines) {
	const res = [];
	let open = -1;
	lines.forEach((l, i) => {
		if (open < 0 && /^\s*\w+\s+\w+\s*\{/.test(l)) open = i;
		else if (open >= 0 && /^\s*\}/.test(l)) {
			res.push([open, i]);
			open = -1;
		}
	});
	return res;
}
const fieldRe = /^(\s*)([^\s@/]\S*)(\s+)(\S+)(.*)$/;
function fieldLines(lines) {
	const res = [];
	for (const [a, b] of blocks(lines))
		if (/^\s*(model|view|type)\b/.test(lines[a]))
			for (let i = a + 1; i < b; i++) if (fieldRe.test(lines[i]) && !/^\s*(\/\/|@@)/.test(lines[i])) res.push(i);
	return res;
}
const fieldNames = (lines, line) => {
	const bl = blocks(lines).find(([a, b]) => line > a && line <= b);
	if (!bl) return ['id'];
	const names = [];
	for (let i = bl[0] + 1; i < bl[1]; i++) {
		const m = fieldRe.exec(lines[i]);
		if (m && !/^(\/\/|@@)/.test(m[2])) names.push(m[2]);
	}
	return names.length ? names : ['id'];
};
const typeNames = (text) => [...text.matchAll(/^\s*(?:model|enum|view|type)\s+(\w+)/gm)].map((m) => m[1]);
const attrRe = /@{1,2}[\w.]+(\((?:[^()"]|"(?:[^"\\]|\\.)*"|\((?:[^()"]|"(?:[^"\\]|\\.)*")*\))*\))?/g;

// ---- mutations: each takes and returns an array of lines ----------------
const MUTATIONS = [
	function addAttr(lines) {
		const fl = fieldLines(lines);
		if (!fl.length) return null;
		const i = pick(fl);
		let a = pick(FIELD_ATTRS);
		if (chance(0.3)) a = `@default(${pick(DEFAULTS)})`;
		else if (chance(0.3)) a = pick(NATIVE);
		lines[i] = lines[i].replace(/(\s*(\/\/.*)?)$/, ` ${a}$1`);
		return lines;
	},
	function dropAttr(lines) {
		const cand = lines.map((l, i) => i).filter((i) => /@/.test(lines[i]) && !/^\s*\/\//.test(lines[i]));
		if (!cand.length) return null;
		const i = pick(cand);
		const ms = [...lines[i].matchAll(attrRe)];
		if (!ms.length) return null;
		const m = pick(ms);
		lines[i] = lines[i].slice(0, m.index) + lines[i].slice(m.index + m[0].length);
		return lines;
	},
	function changeType(lines) {
		const fl = fieldLines(lines);
		if (!fl.length) return null;
		const i = pick(fl);
		const m = fieldRe.exec(lines[i]);
		const t = pick([...SCALARS, ...typeNames(lines.join('\n'))]) + pick(['', '', '?', '[]']);
		lines[i] = m[1] + m[2] + m[3] + t + m[5];
		return lines;
	},
	function blockAttr(lines) {
		const bl = blocks(lines).filter(([a]) => /^\s*(model|view)\b/.test(lines[a]));
		if (!bl.length) return null;
		const [a, b] = pick(bl);
		const names = fieldNames(lines, a + 1);
		const attr = pick(BLOCK_ATTRS).replace(/F/g, () => pick(names)).replace(/G/g, () => pick(names));
		lines.splice(pick([b, a + 1 + Math.floor(rnd() * (b - a))]), 0, `  ${attr}`);
		return lines;
	},
	function dupLine(lines) {
		const i = Math.floor(rnd() * lines.length);
		lines.splice(i, 0, lines[i]);
		return lines;
	},
	function dropLine(lines) {
		lines.splice(Math.floor(rnd() * lines.length), 1);
		return lines;
	},
	function swapLines(lines) {
		const i = Math.floor(rnd() * (lines.length - 1));
		[lines[i], lines[i + 1]] = [lines[i + 1], lines[i]];
		return lines;
	},
	function comment(lines) {
		const i = Math.floor(rnd() * lines.length);
		const c = pick(COMMENTS);
		if (chance(0.5)) lines[i] = `${lines[i]} ${c}`;
		else lines.splice(i, 0, (chance(0.5) ? '  ' : '') + c);
		return lines;
	},
	function space(lines) {
		const i = Math.floor(rnd() * lines.length);
		const k = Math.floor(rnd() * 6);
		if (k === 0) lines[i] += pick([' ', '\t', '  ']);
		else if (k === 1) lines[i] = lines[i].replace(/ +/g, pick([' ', '\t', '   ']));
		else if (k === 2) lines.splice(i, 0, pick(['', '', '  ', '\t']));
		else if (k === 3) lines[i] = lines[i].replace(/^\s+/, pick(['', '\t', '    ', ' ']));
		else if (k === 4) lines[i] += '\r';
		else lines[i] = lines[i].replace(/\s*([(),=\[\]])\s*/, pick([' $1 ', '$1', '$1 ']));
		return lines;
	},
	function rename(lines) {
		const words = [...new Set(lines.join('\n').match(/\b[A-Za-z_]\w*\b/g) || [])];
		if (!words.length) return null;
		const from = pick(words);
		const to = chance(0.5) ? pick(NAMES) : pick(words);
		const re = new RegExp(`\\b${from}\\b`, 'g');
		if (chance(0.5)) return lines.map((l) => l.replace(re, to));
		const i = lines.findIndex((l) => re.test(l));
		if (i < 0) return null;
		lines[i] = lines[i].replace(new RegExp(`\\b${from}\\b`), to);
		return lines;
	},
	function argument(lines) {
		const cand = lines.map((l, i) => i).filter((i) => /\(/.test(lines[i]) && !/^\s*\/\//.test(lines[i]));
		if (!cand.length) return null;
		const i = pick(cand);
		const k = Math.floor(rnd() * 4);
		if (k === 0) lines[i] = lines[i].replace(/\(([^()]*)\)/, (m, x) => `(${x}${x.trim() ? ', ' : ''}${pick(['map: "z"', 'sort: Asc', 'length: 2', 'name: "n"', 'onDelete: SetNull', 'onUpdate: NoAction', 'type: BTree', '1', '"s"'])})`);
		else if (k === 1) lines[i] = lines[i].replace(/\(([^()]*)\)/, '()');
		else if (k === 2) lines[i] = lines[i].replace(/\d+/, pick(['0', '-1', '65535', '1000', '2.5', '99999999999999999999']));
		else lines[i] = lines[i].replace(/"[^"]*"/, pick(['""', '"a b"', '"ä"', '"\\n"', '"\\""', '"a\\u00e9"', '"x".repeat', '"' + 'y'.repeat(70) + '"']));
		return lines;
	},
];

// Both sides get the mutant with the datasource's url, directUrl and
// shadowDatabaseUrl blanked, as the oracle hands Prisma 7 every schema.
function mutate(text) {
	let lines = text.split('\n');
	const n = 1 + Math.floor(rnd() * 3);
	for (let k = 0; k < n && lines.length > 0; k++) {
		const r = pick(MUTATIONS)([...lines]);
		if (r) lines = r;
	}
	return stripDatasourceUrls(lines.join('\n'));
}

// ---- --ddl: what the DDL of both sides builds ---------------------------
// Three databases made from one template with ferriorm in schema fmx (as
// the oracle's): the schema engine's connection, Prisma's database and
// ferriorm's.  Each check empties them first (every schema but fmx).
const DDL_PFX = `fm_fuzz_ddl_${process.pid}`;	/* runs side by side do not meet */
const ddlDb = {};
const catalogSql = fs.readFileSync(new URL('./catalog.sql', import.meta.url), 'utf8')
	.replace(/^\\.*$/gm, '');
// ROLLBACK first: a script that failed inside its own BEGIN (Prisma's
// migrations wrap enum changes in one) leaves the connection in an aborted
// transaction
const resetSql = `ROLLBACK; DO $$ DECLARE s name; BEGIN
	FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'fmx')
	  AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
	LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$; CREATE SCHEMA public`;
async function ddlSetup() {
	/* a query of a schema engine that panicked is never awaited: its
	 * rejection is not the fuzzer's failure */
	process.on('unhandledRejection', () => {});
	/* a panic poisons the engine's instance, which then throws from its
	 * own callbacks: the call waiting on it times out (engineCall) and the
	 * next one gets a new instance */
	process.removeAllListeners('uncaughtException');
	process.on('uncaughtException', (e) => {
		process.stderr.write(`fuzz: the schema engine failed outside a call: ${String(e && e.message).split('\n')[0]}\n`);
		resetEngine();
	});
	const admin = new pg.Client();
	await admin.connect();
	/* what runs that were killed left (their process is gone) */
	for (const { datname } of (await admin.query("SELECT datname FROM pg_database WHERE datname ~ '^fm_fuzz_ddl_[0-9]+_'")).rows) {
		const pid = Number(/^fm_fuzz_ddl_(\d+)_/.exec(datname)[1]);
		let alive = true;
		try {
			process.kill(pid, 0);
		} catch (e) {
			alive = e.code === 'EPERM';
		}
		if (!alive || pid === process.pid) await admin.query(`DROP DATABASE IF EXISTS "${datname}"`);
	}
	await admin.query(`CREATE DATABASE ${DDL_PFX}_tpl`);
	const tpl = new pg.Client({ database: `${DDL_PFX}_tpl` });
	await tpl.connect();
	await tpl.query('CREATE SCHEMA fmx; CREATE EXTENSION ferriorm SCHEMA fmx');
	await tpl.end();
	for (const s of ['tool', 'p', 'f']) {
		await admin.query(`CREATE DATABASE ${DDL_PFX}_${s} TEMPLATE ${DDL_PFX}_tpl`);
		await admin.query(`ALTER DATABASE ${DDL_PFX}_${s} SET search_path = public, fmx`);
		const c = new pg.Client({ database: `${DDL_PFX}_${s}` });
		await c.connect();
		await c.query(`SET ferriorm.dialect = ${self ? 'ferriorm' : 'prisma'}; SET client_min_messages = warning; SET statement_timeout = '60s'`);
		ddlDb[s] = c;
	}
	await admin.end();
}
async function ddlTeardown() {
	for (const c of Object.values(ddlDb)) await c.end();
	const admin = new pg.Client();
	await admin.connect();
	for (const s of ['tool', 'p', 'f', 'tpl']) await admin.query(`DROP DATABASE IF EXISTS ${DDL_PFX}_${s}`);
	await admin.end();
}
const ddlConninfo = (db = 'tool') => {
	const e = process.env;
	return `host=${e.PGHOST || '/tmp'} port=${e.PGPORT || 5432} user=${e.PGUSER || 'postgres'} dbname=${DDL_PFX}_${db}`;
};
async function catalogOf(c) {
	await c.query('SET search_path = pg_catalog');
	try {
		const r = [].concat(await c.query(catalogSql));	/* SET, then the query */
		return r[r.length - 1].rows.map((row) => row.line);
	} finally {
		await c.query('SET search_path = public, fmx');
	}
}
// fn() of Prisma's schema engine, within 60 s: a call that throws (a panic
// poisons the instance) or hangs gets a new instance for the next call,
// and the caller its error.
async function engineCall(fn) {
	let timer;
	try {
		return await Promise.race([fn(), new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error('the schema engine did not answer in 60 s')), 60000);
		})]);
	} catch (e) {
		resetEngine();
		throw e;
	} finally {
		clearTimeout(timer);
	}
}

// Prisma's DDL of a text (cached: a base is asked for again and again), or
// null when Prisma cannot write it.
const prismaDdlCache = new Map();
async function prismaDdl(text) {
	if (prismaDdlCache.has(text)) return prismaDdlCache.get(text);
	let sql = null;
	try {
		sql = await engineCall(() => createSql(text, ddlConninfo()));
	} catch (e) {
		sql = null;
	}
	if (prismaDdlCache.size > 200) prismaDdlCache.clear();
	prismaDdlCache.set(text, sql);
	return sql;
}
// An enum's line with its labels sorted: the prisma dialect leaves the order
// of a live enum's labels alone, as Prisma Migrate does (docs/plan.md)
const labelsSorted = (l) => l.replace(/^(enum \S+ labels=)(.*)$/, (m, head, labels) =>
	head + (labels.match(/'(?:[^']|'')*'/g) || []).sort().join(','));
// The first line where two catalog dumps differ, as a disagreement
function catalogDiff(what, a, b, extra) {
	if (what === 'evolve' && !self) {
		a = a.map(labelsSorted);
		b = b.map(labelsSorted);
	}
	const sa = new Set(a), sb = new Set(b);
	const onlyP = a.filter((l) => !sb.has(l)), onlyF = b.filter((l) => !sa.has(l));
	if (!onlyP.length && !onlyF.length) return null;
	const first = onlyP.length ? `prisma only: ${onlyP[0]}` : `ferriorm only: ${onlyF[0]}`;
	return {
		kind: what, key: `${what}: ${mask(first.replace(/"[^"]*"\./g, ''))}`,
		detail: `${onlyP.map((l) => `- ${l}`).join('\n')}\n${onlyF.map((l) => `+ ${l}`).join('\n')}\n\n${extra}`,
	};
}
// ferriorm's side, on connection c: ferriorm_diff(from, to) applied (the
// error carries the script in .sql), ferriorm_plan and ferriorm_push as text
async function applyDiff(c, from, to) {
	const sql = (await c.query('SELECT ferriorm_diff($1, $2) AS s', [from, to])).rows[0].s || '';
	try {
		await c.query(sql);
	} catch (e) {
		e.sql = sql;
		throw e;
	}
	return sql;
}
async function planOf(c, text) {
	return (await c.query("SELECT coalesce(string_agg(s, E'\\n'), '') AS s FROM ferriorm_plan($1) s", [text])).rows[0].s;
}
async function pushOf(c, text) {
	return (await c.query("SELECT coalesce(string_agg(s, E'\\n'), '') AS s FROM ferriorm_push($1, allow_data_loss => true) s", [text])).rows[0].s;
}
const firstStatement = (plan) => plan.split('\n').find((l) => l && !l.startsWith('--')) || plan;
// what a kind's key names of a database error: its detail's first line
// where there is one (ferriorm's diagnostics), else its message
const errorLine = (e) => (e.detail ? e.detail.split('\n')[0] : e.message);

// With both sides accepting text: Prisma's DDL of text applied to an empty
// database is the reference.  create: ferriorm_diff(NULL, text) applied to
// an empty database builds the same catalog; plan: ferriorm_plan(text) on
// the reference is empty; evolve (when base, the text mutated, is given):
// on a database built by Prisma's DDL of base, ferriorm_push(text) builds
// the reference's catalog.
async function ddlDisagreement(text, base) {
	const { p, f } = ddlDb;
	const pSql = await prismaDdl(text);
	if (pSql === null) return null;
	await p.query(resetSql);
	try {
		await p.query(pSql);
	} catch (e) {
		return null;			/* Prisma's own DDL does not apply: no verdict */
	}
	const ref = await catalogOf(p);
	await f.query(resetSql);
	let fSql;
	try {
		fSql = await applyDiff(f, null, text);
	} catch (e) {
		return { kind: 'create', key: `create fails: ${mask(errorLine(e))}`, detail: `${e.message}\n${e.detail || ''}\n\n${e.sql || ''}\n\n--- Prisma's DDL\n${pSql}` };
	}
	let d = catalogDiff('create', ref, await catalogOf(f), `--- Prisma's DDL\n${pSql}\n--- ferriorm_diff(NULL, s)\n${fSql}`);
	if (d) return d;
	let plan;
	try {
		plan = await planOf(p, text);
	} catch (e) {
		return { kind: 'plan', key: `plan fails: ${mask(e.message)}`, detail: e.message };
	}
	if (plan !== '') return { kind: 'plan', key: `plan not empty: ${mask(firstStatement(plan))}`, detail: `${plan}\n--- Prisma's DDL\n${pSql}` };
	/* a schema no longer listed is left alone, by both (Prisma refuses to
	 * read a database that references it) */
	if (!base || base === text ||
		JSON.stringify(datasourceSchemas(base)) !== JSON.stringify(datasourceSchemas(text)))
		return null;
	const bSql = await prismaDdl(base);
	if (bSql === null) return null;
	/* the reference: Prisma Migrate's migration from base's database to
	 * text, where it applies (as prisma_evolution.sh) */
	let ref2 = ref, migration = '(Prisma\'s migration did not apply: the reference is its DDL from empty)';
	await p.query(resetSql);
	await f.query(resetSql);
	try {
		await p.query(bSql);
		await f.query(bSql);
	} catch (e) {
		return null;
	}
	try {
		const m = await engineCall(() => diffDb(text, ddlConninfo('p')));
		if (m.trim() !== '') await p.query(m);
		ref2 = await catalogOf(p);
		migration = m;
	} catch (e) {
		/* keep the reference from empty */
		migration += `: ${e.message}`;
	}
	let push = '';
	try {
		push = await pushOf(f, text);
	} catch (e) {
		return { kind: 'evolve', key: `evolve fails: ${mask(e.message)}`, detail: e.message };
	}
	/* a result that is neither Prisma Migrate's nor that of Prisma's DDL
	 * from empty (which Prisma's migration misses at times) */
	const got = await catalogOf(f);
	d = catalogDiff('evolve', ref2, got, `--- ferriorm_push\n${push}\n--- Prisma's migration\n${migration}`);
	return d && catalogDiff('evolve', ref, got, '') ? d : null;
}

// ---- both sides ---------------------------------------------------------
if (ddl) await ddlSetup();
const client = ddl ? ddlDb.tool : new pg.Client();
if (!ddl) await client.connect();
await client.query(`SET ferriorm.dialect = ${self ? 'ferriorm' : 'prisma'}`);
await client.query("SET client_min_messages = warning");
await client.query("SET statement_timeout = '20s'");

async function ferriorm(text) {
	let errors;
	try {
		const r = await client.query(
			"SELECT coalesce(string_agg(message, E'\\n' ORDER BY line, col, message), '') AS m, count(*) AS n "
			+ "FROM ferriorm_validate($1) WHERE severity = 'error'", [text]);
		errors = r.rows[0].m;
		if (Number(r.rows[0].n) === 0) errors = null;
	} catch (e) {
		return { crash: `ferriorm_validate failed: ${e.message}` };
	}
	return { accepted: errors === null, message: errors || '' };
}
async function ferriormFormat(text) {
	try {
		return { text: (await client.query('SELECT ferriorm_format($1) AS f', [text])).rows[0].f };
	} catch (e) {
		return { error: e.message };
	}
}
function prisma(text) {
	try {
		return prismaValidate(text);
	} catch (e) {
		return { panic: String(e && e.message || e) };
	}
}

// --self: the ferriorm dialect against itself, with no Prisma: what
// ferriorm_diff(NULL, text) builds on an empty database plans to nothing
// (create, plan); along the mutation from base, ferriorm_push(text) on the
// database of base plans to nothing after and builds that same catalog
// (evolve), and so does the offline ferriorm_diff(base, text) (offline).
async function selfDisagreement(text, base) {
	const { p, f } = ddlDb;
	const v = await ferriorm(text);
	if (v.crash) return { kind: 'crash', key: `crash ${mask(v.crash)}`, detail: v.crash };
	if (!v.accepted) return null;
	let fSql;
	await f.query(resetSql);
	try {
		fSql = await applyDiff(f, null, text);
	} catch (e) {
		/*
		 * Not a verdict: the validator does not type SQL (a CHECK, an
		 * expression index or a dbgenerated() default of a mutated field's
		 * type); PostgreSQL does when the plan runs (verify => true).
		 */
		return null;
	}
	let plan;
	try {
		plan = await planOf(f, text);
	} catch (e) {
		return { kind: 'plan', key: `plan fails: ${mask(e.message)}`, detail: `${e.message}\n${e.detail || ''}` };
	}
	if (plan !== '') return { kind: 'plan', key: `plan after create: ${mask(firstStatement(plan))}`, detail: `${plan}\n--- ferriorm_diff(NULL, s)\n${fSql}` };
	if (!base || base === text || !(await ferriorm(base)).accepted) return null;
	/* a schema no longer listed is left alone, as Prisma leaves it; a
	 * dbgenerated() default without argument keeps the live one */
	if (configBlocks(base) !== configBlocks(text) || /dbgenerated\(\s*\)/.test(text)) return null;
	const want = await catalogOf(f);
	for (const way of ['evolve', 'offline']) {
		await p.query(resetSql);
		try {
			await applyDiff(p, null, base);
		} catch (e) {
			return null;		/* the base itself: its own create kind */
		}
		let step = '';
		try {
			step = way === 'evolve' ? await pushOf(p, text) : await applyDiff(p, base, text);
		} catch (e) {
			return { kind: way, key: `${way} fails: ${mask(errorLine(e))}`, detail: `${e.message}\n${e.detail || ''}` };
		}
		const after = await planOf(p, text);
		if (after !== '') return { kind: way, key: `plan after ${way}: ${mask(firstStatement(after))}`, detail: `${after}\n--- applied\n${step}` };
		const d = catalogDiff(way, want, await catalogOf(p), `--- applied\n${step}`);
		if (d) return d;
	}
	return null;
}

// What disagrees about text (p: Prisma's verdict on it, when the caller has
// it; base: the text it was mutated from, for --ddl): null, or
// { kind, key, detail }.  key is what
// the reduction keeps and the deduplication counts.
const mask = (s) => String(s).replace(/"[^"]*"/g, '_').split('\n').find((l) => /\S/.test(l) && !/^\s*(-->|\||\d+ \|)/.test(l)) ?.replace(/"[^"]*"|`[^`]*`|\b\d+\b|\b[A-Z]\w*\b/g, '_').slice(0, 120) || '';
async function disagreement(text, p = self ? null : prisma(text), base = null) {
	if (self) return selfDisagreement(text, base);
	if (p.panic) return null;		// Prisma's own failure: not a verdict
	const f = await ferriorm(text);
	if (f.crash) return { kind: 'crash', key: `crash ${mask(f.crash)}`, detail: f.crash };
	if (p.accepted !== f.accepted) {
		const who = p.accepted ? 'ferriorm rejects' : 'ferriorm accepts';
		return {
			kind: 'accept', key: `${who}: ${mask(p.accepted ? f.message : p.message)}`,
			detail: `Prisma accepts: ${p.accepted}\n${p.message}\n\nferriorm accepts: ${f.accepted}\n${f.message}\n`,
		};
	}
	if (!p.accepted) return null;
	let pf;
	try {
		pf = prismaFormat(text);
	} catch (e) {
		return null;
	}
	const ff = await ferriormFormat(text);
	if (ff.error) return { kind: 'format', key: `format fails: ${mask(ff.error)}`, detail: ff.error };
	if (ff.text === pf) return ddl ? ddlDisagreement(text, base) : null;
	const a = pf.split('\n'), b = ff.text.split('\n');
	let i = 0;
	while (i < a.length && i < b.length && a[i] === b[i]) i++;
	return {
		kind: 'format', key: 'format differs',
		detail: `first difference at line ${i + 1}\nprisma:   ${JSON.stringify(a[i])}\nferriorm: ${JSON.stringify(b[i])}\n\n--- prisma\n${pf}\n--- ferriorm\n${ff.text}`,
	};
}

// Remove lines, then characters, while the same key disagrees.
async function reduce(text, key) {
	const same = async (t) => {
		const d = await disagreement(t);
		return d && d.key === key;
	};
	let lines = text.split('\n');
	for (let chunk = Math.max(1, lines.length >> 1); chunk >= 1; chunk >>= 1)
		for (let i = 0; i < lines.length;) {
			const cand = [...lines.slice(0, i), ...lines.slice(i + chunk)];
			if (cand.length && await same(cand.join('\n'))) lines = cand;
			else i += chunk;
		}
	for (let i = 0; i < lines.length; i++) {
		// words of a line, then characters of the shorter lines
		for (let changed = true; changed;) {
			changed = false;
			const words = lines[i].split(/(\s+)/);
			for (let w = 0; w < words.length; w++) {
				if (!words[w].trim()) continue;
				const cand = [...lines];
				cand[i] = [...words.slice(0, w), ...words.slice(w + 1)].join('');
				if (await same(cand.join('\n'))) {
					lines = cand;
					changed = true;
					break;
				}
			}
		}
	}
	return lines.join('\n');
}

// ---- the loop -----------------------------------------------------------
const found = new Map();
const knownSeen = new Map();
const deadline = Date.now() + seconds * 1000;
let runs = 0, pAccepted = 0, harnessErrors = 0;
while (count ? runs < count : Date.now() < deadline) {
	const base = pick(texts).replace(/\r(?!\n)/g, '\n');	/* lines to mutate */
	const text = mutate(chance(0.2) ? mutate(base) : base);
	runs++;
	const p = self ? { accepted: true } : prisma(text);
	let d;
	try {
		d = await disagreement(text, self ? null : p, base);
	} catch (e) {
		/* the harness's own failure (a database error outside the checks) */
		harnessErrors++;
		process.stderr.write(`fuzz: mutant ${runs} not checked: ${e && e.message}\n`);
		continue;
	}
	if (p.accepted) pAccepted++;
	if (!d || found.has(d.key)) continue;
	if (known.some((re) => re.test(d.key))) {
		knownSeen.set(d.key, (knownSeen.get(d.key) || 0) + 1);
		continue;
	}
	/* an evolution is kept whole, with the text it started from */
	const whole = d.kind === 'evolve' || d.kind === 'offline';
	const small = whole ? text : await reduce(text, d.key);
	if (whole) d.detail += `\n\n--- from\n${base}`;
	const dd = (!whole && await disagreement(small)) || d;
	const id = String(found.size + 1).padStart(3, '0');
	found.set(d.key, id);
	fs.writeFileSync(path.join(out, `${id}.prisma`), small);
	fs.writeFileSync(path.join(out, `${id}.txt`), `${d.key}\n\n${dd.detail}`);
	process.stdout.write(`${id} ${d.key}\n`);
}
if (ddl) await ddlTeardown();
else await client.end();
process.stdout.write(`${runs} mutants (${pAccepted} accepted by Prisma), ${found.size} kinds of disagreement`
	+ `${found.size ? ` (in ${out})` : ''}, ${knownSeen.size} known kinds met ${[...knownSeen.values()].reduce((a, b) => a + b, 0)} times`
	+ `${harnessErrors ? `, ${harnessErrors} not checked (above)` : ''}\n`);
process.exit(found.size || harnessErrors ? 1 : 0);
