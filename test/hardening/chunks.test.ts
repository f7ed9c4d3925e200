/**
 * Chunked parsing is invisible (fast-check): for generated policy-like documents — headings of
 * every level and indentation, setext headings, paragraphs, lists nested with fences inside,
 * fences and HTML comments containing heading lines (some left open), block quotes, HTML blocks,
 * tables, front matter with YAML comments, CRLF, a byte-order mark — the parse cut at every safe
 * heading gives exactly the headings, blocks (positions, blanked and rendered text, lead-ins),
 * comments and front matter of one parse of the whole text, and the service's analysis (findings,
 * claims, citations) is the same with chunking on and off.
 *
 * Link reference definitions are left out of the generator on purpose: a definition in one chunk
 * does not apply in another (the documented difference, see `parseMarkdown`).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { markdownInternals, parseMarkdown, type ParsedMarkdown } from '../../server/src/service/markdown';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace } from '../helpers/inMemory';

const catalog = fixtureIndex();

const WORDS = ['通信の秘密', '通信の内容', '発信者', '日時', 'TEL.18.1.6', 'TEL.18.1.6(e)', 'TEL.18.1.6 e)', 'TEL.18.1.6[2](i)', '[TEL.13.1.4]', '12.4.1', 'the content of communications', 'sender', 'is protected', '**bold**', '_em_', '`code`', '[link](https://example.org)', 'a\\*b', '&amp;', '<b>x</b>', '#', 'e)', '。', '.'];
const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));

const heading = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom('', '', '', ' ', '   '), words).map(([d, indent, t]) => `${indent}${'#'.repeat(d)} ${t}`);
const setext = fc.tuple(words, fc.constantFrom('===', '---')).map(([t, u]) => `${t}\n${u}`);
const paragraph = fc.array(words, { minLength: 1, maxLength: 3 }).map((l) => l.join('\n'));
const fenceBody = fc.array(fc.oneof(words, heading, fc.constant('')), { maxLength: 4 });
const fence = fc.tuple(fc.constantFrom('```', '~~~', '````', '```md', '  ```'), fenceBody, fc.boolean()).map(([open, body, closed]) => {
  const mark = open.trim().replace(/md$/, '');
  return [open, ...body, ...(closed ? [mark] : [])].join('\n');
});
const listItem = fc.tuple(fc.constantFrom('- ', '1. ', '* ', '10. '), words, fc.option(fc.oneof(words, fence, heading), { nil: undefined }), fc.boolean()).map(([m, t, extra, nest]) => {
  const pad = ' '.repeat(m.length);
  const lines = [`${m}${t}`];
  if (extra !== undefined) lines.push(...extra.split('\n').map((l) => (l ? pad + l : l)));
  if (nest) lines.push(`${pad}- nested ${t}`);
  return lines.join('\n');
});
const list = fc.array(listItem, { minLength: 1, maxLength: 4 }).map((items) => items.join('\n'));
const comment = fc.tuple(fc.array(fc.oneof(words, heading, fc.constant('')), { maxLength: 4 }), fc.boolean(), fc.boolean()).map(([body, closed, inline]) =>
  inline ? `<!-- x1051-not-applicable TEL.18.1.6(i): 理由 -->` : ['<!--', ...body, ...(closed ? ['-->'] : [])].join('\n'),
);
const htmlBlock = fc.tuple(fc.constantFrom('<script>', '<div>', '<?x', '<!DOCTYPE x', '<![CDATA['), fc.array(fc.oneof(words, heading), { maxLength: 3 }), fc.boolean()).map(([open, body, closed]) => {
  const close: Record<string, string> = { '<script>': '</script>', '<div>': '</div>', '<?x': '?>', '<!DOCTYPE x': '>', '<![CDATA[': ']]>' };
  return [open, ...body, ...(closed ? [close[open]] : [])].join('\n');
});
const table = fc.array(words, { minLength: 1, maxLength: 3 }).map((rows) => ['| 項目 | 対応 |', '|---|---|', ...rows.map((r) => `| ${r} | TEL.18.1.6 a) |`)].join('\n'));
const quote = fc.array(fc.oneof(words, heading), { minLength: 1, maxLength: 3 }).map((l) => l.map((x) => `> ${x}`).join('\n'));
const block = fc.oneof(
  { arbitrary: heading, weight: 6 },
  { arbitrary: paragraph, weight: 4 },
  { arbitrary: list, weight: 4 },
  { arbitrary: fence, weight: 2 },
  { arbitrary: comment, weight: 2 },
  { arbitrary: setext, weight: 1 },
  { arbitrary: htmlBlock, weight: 1 },
  { arbitrary: table, weight: 1 },
  { arbitrary: quote, weight: 1 },
  { arbitrary: fc.constantFrom('---', '***', '    indented code\n    # not a heading'), weight: 1 },
);
const separator = fc.constantFrom('\n\n', '\n\n', '\n\n', '\n', '\n\n\n');
const frontMatter = fc.constantFrom('', '', '---\ncontrols: [TEL.18.1.6]\n---\n', '---\n# a YAML comment\n\ntitle: x\n---\n', '---\n');
const policy = fc
  .tuple(frontMatter, fc.array(fc.tuple(block, separator), { minLength: 1, maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom('', '', '', '\uFEFF'))
  .map(([fm, parts, eol, bom]) => {
    const text = fm + parts.map(([b, s]) => b + s).join('');
    return bom + (eol === '\n' ? text : text.replace(/\n/g, eol));
  });

/** Everything a consumer reads from a parse, as comparable data. */
function shape(p: ParsedMarkdown): unknown {
  return JSON.parse(JSON.stringify({ headings: p.headings, blocks: p.blocks, comments: p.comments, frontMatter: p.frontMatter }));
}

/** Runs `f` with chunking on (cut at every safe heading, any length) or off, restoring the switches. */
function withChunking<T>(on: boolean, f: () => T): T {
  const saved = { chunking: markdownInternals.chunking, threshold: markdownInternals.threshold, every: markdownInternals.every };
  try {
    markdownInternals.chunking = on;
    markdownInternals.threshold = 0;
    markdownInternals.every = 1;
    return f();
  } finally {
    Object.assign(markdownInternals, saved);
  }
}

describe('hardening: chunked parsing equals a whole parse', function () {
  this.timeout(180000);

  it('gives the same headings, blocks, comments and front matter (fresh cache and warm cache)', () => {
    let chunkedDocs = 0;
    fc.assert(
      fc.property(policy, (text) => {
        const whole = withChunking(false, () => parseMarkdown(text));
        markdownInternals.clearCache();
        const before = markdownInternals.parses;
        const cold = withChunking(true, () => parseMarkdown(text));
        if (markdownInternals.parses - before > 1) chunkedDocs++;
        assert.deepEqual(shape(cold), shape(whole));
        // The second parse comes from the cache: materialised again, equal again.
        assert.deepEqual(shape(withChunking(true, () => parseMarkdown(text))), shape(whole));
      }),
      { numRuns: 300, seed: 27011 },
    );
    // The property must have been exercised on documents that were really cut.
    assert.ok(chunkedDocs > 75, `only ${chunkedDocs} of 300 documents were parsed in several chunks`);
  });

  it('stays equal after random edits that reuse cached chunks', () => {
    const edit = fc.tuple(policy, fc.nat(), fc.nat(30), fc.constantFrom('', 'x', '\n', '\n\n# New\n\n', '```', '<!--', '-->', ' TEL.18.1.6(e)'));
    fc.assert(
      fc.property(edit, ([text, at, del, ins]) => {
        const p = at % (text.length + 1);
        const edited = text.slice(0, p) + ins + text.slice(p + del);
        markdownInternals.clearCache();
        withChunking(true, () => parseMarkdown(text));
        const chunked = withChunking(true, () => parseMarkdown(edited));
        assert.deepEqual(shape(chunked), shape(withChunking(false, () => parseMarkdown(edited))));
      }),
      { numRuns: 200, seed: 1051 },
    );
  });

  it('gives the same analysis (citations, claims, findings) and diagnostics with chunking on and off', () => {
    fc.assert(
      fc.property(policy, (text) => {
        const run = (on: boolean) =>
          withChunking(on, () => {
            markdownInternals.clearCache();
            const doc = new InMemoryDocument('file:///w/policy.md', text);
            const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
            const config = defaultConfig();
            return JSON.parse(JSON.stringify({ analysis: svc.analyze(doc, config), diagnostics: svc.diagnostics(doc, config), symbols: svc.documentSymbols(doc, config) }));
          });
        assert.deepEqual(run(true), run(false));
      }),
      { numRuns: 150, seed: 18016 },
    );
  });
});
