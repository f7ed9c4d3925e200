/**
 * The evidence matcher read from a snapshot instead of compiled (issue #13: each thread compiled the
 * default matcher, about 0.25 s and 70 MB of allocation; the build now stores it in
 * dist/dict/matcher.json). A matcher read from a snapshot scans exactly like the compiled one; a
 * snapshot is used only under its own source key, and a damaged one is compiled around.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EvidenceMatcher } from '../../server/src/service/evidence';
import { createAnalyser, defaultDictionaryPath, matcherSnapshotReader, MATCHER_SNAPSHOT_FILE } from '../../server/src/morphologyHost';
import { createPolicyService, defaultConfig, matcherSourceKey } from '../../server/src/service';
import { parseConfig } from '../../server/src/service/config';
import { realIndex, REPO_ROOT } from '../helpers/catalog';

const dist = path.join(REPO_ROOT, 'dist', 'dict');
const analyser = createAnalyser({ dicPath: defaultDictionaryPath(__dirname) });

/** The paragraphs of the development corpus and the examples: real policy text in both languages. */
function paragraphs(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(...fs.readFileSync(p, 'utf8').split(/\n\s*\n/));
    }
  };
  walk(path.join(REPO_ROOT, 'bench', 'corpus'));
  walk(path.join(REPO_ROOT, 'examples'));
  return out;
}

/** A scan as comparable data (maps and sets as sorted arrays). */
const scanOf = (m: EvidenceMatcher, text: string) => {
  const s = m.scanBlock(text, 7);
  return JSON.stringify([[...s.hits], [...s.weak], [...s.contexts].sort(), [...s.parts].sort()]);
};

/** A service over the real catalogue whose logger collects its lines. */
function serviceWith(matcherSnapshot: (() => unknown) | undefined) {
  const log: string[] = [];
  const service = createPolicyService({ catalog: realIndex(), workspace: { documents: () => [] }, analyser, matcherSnapshot, logger: { log: (m) => log.push(m) } });
  return { service, log };
}

describe('the evidence matcher from a snapshot (issue #13)', () => {
  const catalog = realIndex();
  const config = defaultConfig();
  const compiled = createPolicyService({ catalog, workspace: { documents: () => [] }, analyser }).matcher(config);
  const key = matcherSourceKey(catalog, config, analyser);

  it('read back from its snapshot (through JSON), scans every paragraph of the corpora as the compiled one', () => {
    const snapshot = JSON.parse(JSON.stringify(compiled.toSnapshot(key)));
    const read = EvidenceMatcher.fromSnapshot(snapshot, key, { analyser, families: catalog.catalog.thesaurus?.families.en });
    assert.ok(read, 'the snapshot is read');
    assert.equal(read.patternCount, compiled.patternCount);
    assert.equal(read.stateCount, compiled.stateCount);
    const texts = paragraphs();
    assert.ok(texts.length > 500, `${texts.length} paragraphs`);
    let withHits = 0;
    for (const t of texts) {
      const a = scanOf(compiled, t);
      assert.equal(scanOf(read, t), a, t.slice(0, 80));
      if (!a.startsWith('[[]')) withHits++;
    }
    assert.ok(withHits > 100, `${withHits} paragraphs with evidence: the comparison is not vacuous`);
    for (const item of ['TEL.18.1.6(a)', 'TEL.18.1.6(e)', '12.4.1(1)']) assert.deepEqual(read.multiPartTerms(item), compiled.multiPartTerms(item));
  });

  it('reads the automaton as stored: no trie is built again, and its arrays are the compiled ones', () => {
    const snapshot = JSON.parse(JSON.stringify(compiled.toSnapshot(key)));
    const proto = EvidenceMatcher.prototype as unknown as { insert(...a: unknown[]): void; link(): void };
    const { insert, link } = proto;
    let calls = 0;
    proto.insert = function (...a: unknown[]) {
      calls++;
      return insert.apply(this, a);
    };
    proto.link = function () {
      calls++;
      return link.apply(this);
    };
    try {
      const read = EvidenceMatcher.fromSnapshot(snapshot, key, { analyser, families: catalog.catalog.thesaurus?.families.en });
      assert.ok(read);
      assert.equal(calls, 0, 'trie steps while reading a snapshot');
      assert.deepEqual(read.toSnapshot(key), compiled.toSnapshot(key));
    } finally {
      proto.insert = insert;
      proto.link = link;
    }
  });

  it('is used only under its own key: another catalogue, a config\'s own terms or concepts, another analyser', () => {
    const snapshot = compiled.toSnapshot(key);
    const withTerms = parseConfig('terms:\n  TEL.18.1.6(a):\n    en: ["call log"]\n', 'file:///w/.x1051.yaml').config;
    const withConcepts = parseConfig('concepts:\n  supplier:\n    en: ["outsourcer"]\n', 'file:///w/.x1051.yaml').config;
    for (const other of [
      matcherSourceKey(catalog, withTerms, analyser),
      matcherSourceKey(catalog, withConcepts, analyser),
      matcherSourceKey(catalog, config, createAnalyser({ dicPath: dist, parts: 'en' })),
      matcherSourceKey(catalog, config, undefined),
    ]) {
      assert.notEqual(other, key);
      assert.equal(EvidenceMatcher.fromSnapshot(snapshot, other), undefined);
    }
    assert.equal(matcherSourceKey(realIndex(), defaultConfig(), analyser), key, 'the key is stable');
  });

  it('a service reads the shipped snapshot (dist/dict/matcher.json) for the default config and compiles for a config with terms', () => {
    let reads = 0;
    const reader = matcherSnapshotReader(dist);
    const { service, log } = serviceWith(() => {
      reads++;
      return reader();
    });
    const m = service.matcher(config);
    assert.match(log.join('\n'), /read from its build-time snapshot/);
    const sample = '通信の秘密を保護し、通信履歴は保存期間の経過後に速やかに削除する。Call records are retained for two years and the content of calls is never disclosed.';
    assert.equal(scanOf(m, sample), scanOf(compiled, sample));
    const withTerms = parseConfig('terms:\n  TEL.18.1.6(a):\n    en: ["call log"]\n', 'file:///w/.x1051.yaml').config;
    service.matcher(withTerms);
    assert.match(log[log.length - 1], /compiled evidence matcher/);
    // Its key is known to be another: the file is not read again for a config with terms.
    const moreTerms = parseConfig('terms:\n  TEL.18.1.6(a):\n    en: ["call logs"]\n', 'file:///w/.x1051.yaml').config;
    service.matcher(moreTerms);
    assert.equal(reads, 1);
  });

  it('a damaged, stale or unreadable snapshot is compiled around, never an error', () => {
    const good = compiled.toSnapshot(key);
    const damaged: unknown[] = [
      null,
      42,
      { ...good, format: 99 },
      { ...good, key: 'stale' },
      { ...good, patterns: 'x' },
      { ...good, terms: [['TEL.18.1.6(a)', 'x', [999999], -1, 0]] },
      { ...good, terms: [['TEL.18.1.6(a)', 'x', [0], 5000, 0]] },
      { ...good, patterns: [['', 0, 0, 0, 0]] },
      { ...good, patterns: [['abc', 9, 0, 0, 0]] },
      { ...good, automaton: undefined },
      { ...good, automaton: { ...good.automaton, fail: good.automaton.fail.slice(1) } },
      { ...good, automaton: { ...good.automaton, edgeTo: good.automaton.edgeTo.map((t, i) => (i === 3 ? good.automaton.fail.length : t)) } },
      { ...good, automaton: { ...good.automaton, edgeChar: good.automaton.edgeChar.map((c, i) => (i === 3 ? 0x10000 : c)) } },
      { ...good, automaton: { ...good.automaton, outList: good.automaton.outList.map((o, i) => (i === 0 ? good.patterns.length : o)) } },
      { ...good, automaton: { ...good.automaton, edgeStart: good.automaton.edgeStart.map((e, i) => (i === 5 ? good.automaton.edgeStart[7] : e)) } },
      { ...good, automaton: { ...good.automaton, fail: good.automaton.fail.map((f, i) => (i === 2 ? 1.5 : f)) } },
    ];
    for (const snap of damaged) {
      const { service, log } = serviceWith(() => snap);
      const m = service.matcher(config);
      assert.equal(m.patternCount, compiled.patternCount, JSON.stringify(snap)?.slice(0, 60));
      assert.match(log.join('\n'), /compiled evidence matcher/);
    }
    // A file that is not JSON: the reader says so once and the service compiles.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-snap-'));
    fs.writeFileSync(path.join(dir, MATCHER_SNAPSHOT_FILE), '{"format":1,');
    const told: string[] = [];
    const reader = matcherSnapshotReader(dir, (m) => told.push(m));
    assert.equal(reader(), undefined);
    assert.equal(reader(), undefined);
    assert.equal(told.length, 1);
    assert.match(told[0], /unreadable/);
    // A folder in its place, or no file: nothing to read, nothing said.
    fs.rmSync(path.join(dir, MATCHER_SNAPSHOT_FILE));
    assert.equal(matcherSnapshotReader(dir, (m) => told.push(m))(), undefined);
    fs.mkdirSync(path.join(dir, MATCHER_SNAPSHOT_FILE));
    assert.equal(matcherSnapshotReader(dir, (m) => told.push(m))(), undefined);
    assert.equal(told.length, 1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
