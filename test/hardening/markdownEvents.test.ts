/**
 * The event reader (`markdownEvents.ts`) gives exactly what the mdast tree walk it replaced gave
 * (`test/helpers/mdastBlocks.ts`): headings, prose blocks (positions, blanked and rendered text,
 * offset maps, lead-ins), HTML comments, front matter and whether the text ends open — on every
 * Markdown file of the repository's corpora, examples and fixtures, on hand-written corner cases
 * of the mdast rules it follows, and on random Markdown built from the constructs policies use
 * and the ones the reader must get right (task items, escapes, entities, hard breaks, links with
 * titles over two lines, images, footnotes, autolinks, tables, block quotes with lazy lines, CRLF,
 * a byte-order mark).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { markdownEventsInternals, parseEvents } from '../../server/src/service/markdownEvents';
import { parseWithMdast } from '../helpers/mdastBlocks';

const root = path.resolve(__dirname, '..', '..');

/** Both parses in a comparable form (the offset maps as plain arrays). */
function both(text: string): [unknown, unknown] {
  const plain = (p: ReturnType<typeof parseEvents> | ReturnType<typeof parseWithMdast>) => JSON.parse(JSON.stringify(p));
  return [plain(parseEvents(text)), plain(parseWithMdast(text))];
}

function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) markdownFiles(p, out);
    else if (e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

describe('Markdown events read as the mdast walk read them', () => {
  it('on every Markdown file of the repository (corpora, examples, docs, fixtures)', () => {
    const files = ['bench', 'examples', 'docs', 'test'].flatMap((d) => markdownFiles(path.join(root, d)));
    assert.ok(files.length > 100, `${files.length} files`);
    let blocks = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const [events, mdast] = both(text);
      assert.deepEqual(events, mdast, path.relative(root, f));
      blocks += (events as { blocks: unknown[] }).blocks.length;
    }
    assert.ok(blocks > 2000, `${blocks} blocks compared`);
  });

  const cases: [string, string][] = [
    ['task items: the space after the box leaves the text and the paragraph', '- [x]\tdone\n- [ ] *em*\n- [ ] \n- [X] a `c`\n\n  second paragraph\n'],
    ['task box in a block quote in an item', '- > [ ] quoted\n'],
    ['escapes and entities mapped to their source', 'a\\*b &amp; &#x41; &#65; &copy; \\\\ TEL\\.18.1.6\n'],
    ['hard breaks absorb their line ending', 'a  \nb\\\nc\n'],
    ['links: label text kept, destination and title not', 'see [x\ny](z "t\nq") and [ref][r] and [r]\n\n[r]: https://example.org "T"\n'],
    ['the list part of an item id stays as written', 'TEL.18.1.6[2](c) and TEL.18.1.6[1](10) but [2](x y)\n'],
    ['images, code, inline HTML and comments', 'a ![alt *x*](i.png) `c` <b>b</b> <!-- x1051-ignore --> d\n<!--\nblock\n-->\n'],
    ['footnotes', 'text[^1] more[^n]\n\n[^1]: the note\n    continued\n\n[^n]: other\n'],
    ['autolinks and strikethrough', '<https://a.b> <me@x.org> ~~gone~~ ~one~\n'],
    ['tables with a lead-in', 'Intro:\n\n| a | b |\n| - | - |\n| TEL.18.1.6 | e) |\n| `x` \\| y | [l](u) |\n'],
    // Tables are tried only on lines near a possible delimiter row (`guardedTable`).
    ['tables right after a paragraph, without outer pipes, aligned', 'para\n| a | b |\n| :- | -: |\nrow | two\nlazy\n\na | b\n--|--\nc | d\n\n| one |\n| :-: |\n'],
    ['tables in quotes, list items and footnotes', '> | a |\n> | - |\n> | b |\n\n- item\n\n  | a | b |\n  | - | - |\n  | c | d |\n\n[^1]: note\n\n    | x |\n    | - |\n'],
    ['lines that look like delimiter rows but are not', 'a | b\n---\n\n| a |\n| |\n\n| a | b |\n| - |\n\n---\n|-|\n\ntext | pipe\nnext line\n'],
    ['block quotes with lazy lines', '> a *b\n> c* d\n  e\n> - item\nlazy\n'],
    ['setext and ATX headings', 'Title\nline2\n===\n\n## Sub ##\n\n#\n\n### *x* `y`\n\nS2\n---\n'],
    ['lead-ins through nested lists and quotes', 'Lead:\n- one\n  - two\n\n  para\n  - three\n> q\n> - four\n'],
    ['front matter, CRLF and a byte-order mark', '\ufeff---\r\ntitle: x\r\n\r\nb: 2\r\n---\r\n# H\r\ntext\r\n'],
    ['an empty front matter', '---\n---\ntext\n'],
    ['open fence and open HTML at the end', '# a\n\n```md\n# not\n'],
    ['open HTML comment at the end', 'p\n\n<!-- open\n'],
    ['indented code and thematic breaks', '    code\n\n***\n\ntext\n'],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      const [events, mdast] = both(text);
      assert.deepEqual(events, mdast);
    });
  }

  it('marks each line of a run of possible delimiter rows once, and reads it as the tree walk does', () => {
    // Without a blank line each row's region reached the end of the text: quadratic marking.
    const lines = 3000;
    const text = '| a |\n' + '|-|\n'.repeat(lines);
    const [events, mdast] = both(text);
    assert.deepEqual(events, mdast);
    assert.ok(markdownEventsInternals.tableLineMarks <= lines + 2, `${markdownEventsInternals.tableLineMarks} marks for ${lines + 2} lines`);
    assert.ok(markdownEventsInternals.tableLineMarks >= lines, 'the rows are marked');
  });

  it('scans long lines that look like delimiter rows until their last character without backtracking', () => {
    // A regular expression took minutes on each of these (one 100,000-character line).
    for (const line of ['|' + ' -'.repeat(50_000) + 'x', ':' + ' '.repeat(100_000) + '-x', '- |'.repeat(30_000) + 'x']) {
      const parsed = parseEvents(`para\n${line}\n`);
      assert.equal(markdownEventsInternals.tableLineMarks, 0, 'not a delimiter row: its last character is not allowed');
      assert.ok(parsed.blocks.length >= 1);
    }
  });

  it('on random Markdown (property)', () => {
    const inline = fc.constantFrom(
      '通信の秘密', 'TEL.18.1.6', 'TEL.18.1.6 e)', 'TEL.18.1.6[2](c)', '[TEL.13.1.4]', 'word', 'a\\*b', '&amp;', '&#x41;', '*em*', '**strong**', '_x_',
      '~~del~~', '`code`', '[link](u "t")', '[ref][r]', '[r]', '![img](i)', '<b>x</b>', '<!-- c -->', '<https://a.b>', 'x[^1]', '  \n', '\\\n', '\n', '|', 'e)', '。',
    );
    const line = fc.array(inline, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
    const block = fc.oneof(
      line,
      fc.tuple(fc.integer({ min: 1, max: 6 }), line).map(([d, t]) => `${'#'.repeat(d)} ${t.replace(/\n/g, ' ')}`),
      fc.tuple(line, fc.constantFrom('===', '---')).map(([t, u]) => `${t}\n${u}`),
      fc.tuple(fc.constantFrom('- ', '1. ', '- [ ] ', '- [x] ', '* '), line, fc.boolean(), line).map(([m, t, nest, u]) => `${m}${t}\n${nest ? `  - ${u}` : `  ${u}`}`),
      fc.tuple(line, line).map(([a, b]) => `> ${a}\n${b}`),
      fc.tuple(line, line).map(([a, b]) => `| h | ${a.replace(/\n/g, ' ')} |\n| - | - |\n| ${b.replace(/\n/g, ' ')} | x |`),
      fc.tuple(fc.constantFrom('', '> ', '  ', '- '), fc.constantFrom('| a | b |', 'a | b', '| a |', 'text'), fc.constantFrom('| - | - |', '--|--', '| :-: |', '---', '| |', ':-', '|-|'), fc.constantFrom('| c | d |', 'c | d', 'lazy', '')).map(
        ([prefix, head, delimiter, body]) => `${prefix}${head}\n${prefix.replace('- ', '  ')}${delimiter}\n${body}`,
      ),
      fc.constantFrom('```\n# x\n```', '```\nopen', '<!--\nc\n-->', '<div>\nx\n</div>', '[r]: https://example.org', '[^1]: note', '***', '    indented'),
    );
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n\n', '\n', '\r\n\r\n'), fc.boolean(), (blocks, sep, bom) => {
        const text = (bom ? '\ufeff' : '') + blocks.join(sep).replace(/\n/g, sep.startsWith('\r') ? '\r\n' : '\n');
        const [events, mdast] = both(text);
        assert.deepEqual(events, mdast);
      }),
      { numRuns: 400 },
    );
  });
});
