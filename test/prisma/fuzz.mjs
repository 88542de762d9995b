#!/usr/bin/env node
// Differential fuzzing of the prisma dialect against Prisma's own engines.
//
//   node test/prisma/fuzz.mjs [--seconds N | --count N] [--seed S] [--out DIR]
//                             [--known FILE] SEED.prisma...
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
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { validate as prismaValidate, format as prismaFormat, stripDatasourceUrls } from './oracle.mjs';

const require = createRequire(import.meta.url);
const pg = require('pg');

// ---- arguments ----------------------------------------------------------
const argv = process.argv.slice(2);
let seconds = 60, count = 0, seed = 1, out = '/tmp/ferriorm-fuzz', knownFile = null;
const seeds = [];
for (let i = 0; i < argv.length; i++) {
	if (argv[i] === '--seconds') seconds = Number(argv[++i]);
	else if (argv[i] === '--count') count = Number(argv[++i]);
	else if (argv[i] === '--seed') seed = Number(argv[++i]);
	else if (argv[i] === '--out') out = argv[++i];
	else if (argv[i] === '--known') knownFile = argv[++i];
	else seeds.push(argv[i]);
}
if (!seeds.length || !(seconds > 0) || !(count >= 0)) {
	process.stderr.write('usage: fuzz.mjs [--seconds N | --count N] [--seed S] [--out DIR] [--known FILE] SEED.prisma...\n');
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

// ---- both sides ---------------------------------------------------------
const client = new pg.Client();
await client.connect();
await client.query("SET ferriorm.dialect = prisma");
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

// What disagrees about text (p: Prisma's verdict on it, when the caller has
// it): null, or { kind, key, detail }.  key is what
// the reduction keeps and the deduplication counts.
const mask = (s) => String(s).replace(/"[^"]*"/g, '_').split('\n').find((l) => /\S/.test(l) && !/^\s*(-->|\||\d+ \|)/.test(l)) ?.replace(/"[^"]*"|`[^`]*`|\b\d+\b|\b[A-Z]\w*\b/g, '_').slice(0, 120) || '';
async function disagreement(text, p = prisma(text)) {
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
	if (ff.text === pf) return null;
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
let runs = 0, pAccepted = 0;
while (count ? runs < count : Date.now() < deadline) {
	const base = pick(texts).replace(/\r(?!\n)/g, '\n');	/* lines to mutate */
	const text = mutate(chance(0.2) ? mutate(base) : base);
	runs++;
	const p = prisma(text);
	const d = await disagreement(text, p);
	if (p.accepted) pAccepted++;
	if (!d || found.has(d.key)) continue;
	if (known.some((re) => re.test(d.key))) {
		knownSeen.set(d.key, (knownSeen.get(d.key) || 0) + 1);
		continue;
	}
	const small = await reduce(text, d.key);
	const dd = (await disagreement(small)) || d;
	const id = String(found.size + 1).padStart(3, '0');
	found.set(d.key, id);
	fs.writeFileSync(path.join(out, `${id}.prisma`), small);
	fs.writeFileSync(path.join(out, `${id}.txt`), `${d.key}\n\n${dd.detail}`);
	process.stdout.write(`${id} ${d.key}\n`);
}
await client.end();
process.stdout.write(`${runs} mutants (${pAccepted} accepted by Prisma), ${found.size} kinds of disagreement`
	+ `${found.size ? ` (in ${out})` : ''}, ${knownSeen.size} known kinds met ${[...knownSeen.values()].reduce((a, b) => a + b, 0)} times\n`);
process.exit(found.size ? 1 : 0);
