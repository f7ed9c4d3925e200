/**
 * Chunked Markdown parsing: where a text may be cut (`safeCuts`, one test per boundary rule),
 * that the chunked parse equals a whole parse on the tricky cases, and that the chunk cache
 * re-parses only edited chunks and cannot be altered through a result.
 */
import * as assert from 'node:assert/strict';
import { safeCuts } from '../../server/src/service/chunks';
import { markdownInternals, parseMarkdown, type ParsedMarkdown } from '../../server/src/service/markdown';

/** The lines (first line of each cut's heading) where `safeCuts` would cut. */
function cutLines(text: string): string[] {
  return safeCuts(text).map((c) => text.slice(c.offset).split(/\r\n|\r|\n/)[0]);
}

/** Everything a consumer reads from a parse, as comparable data. */
function shape(p: ParsedMarkdown): unknown {
  return JSON.parse(JSON.stringify({ headings: p.headings, blocks: p.blocks, comments: p.comments, frontMatter: p.frontMatter }));
}

/** Parses `text` whole and chunked at every safe cut, and returns both. */
function both(text: string): { whole: ParsedMarkdown; chunked: ParsedMarkdown } {
  const saved = { ...markdownInternals };
  try {
    markdownInternals.chunking = false;
    const whole = parseMarkdown(text);
    markdownInternals.chunking = true;
    markdownInternals.threshold = 0;
    markdownInternals.every = 1;
    markdownInternals.clearCache();
    const chunked = parseMarkdown(text);
    return { whole, chunked };
  } finally {
    Object.assign(markdownInternals, { chunking: saved.chunking, threshold: saved.threshold, every: saved.every });
  }
}

describe('markdown chunks: where a text may be cut', () => {
  it('cuts before a column-0 ATX heading after a blank line, never at offset 0', () => {
    assert.deepEqual(cutLines('# A\n\ntext\n\n## B\n\npara\n\n###### C\n'), ['## B', '###### C']);
    assert.deepEqual(safeCuts('# A\n\n## B\n').map((c) => c.depth), [2]);
  });

  it('cuts right after another heading, but not after a paragraph line without a blank line', () => {
    assert.deepEqual(cutLines('# A\n## B\ntext\n### C\n\n### D\n'), ['## B', '### D']);
  });

  it('does not cut before an indented heading (it may belong to a list item) or a non-heading "#"', () => {
    assert.deepEqual(cutLines('# A\n\n1. item\n\n   # inside\n\n#5 not a heading\n\n#\tTab heading\n'), ['#\tTab heading']);
  });

  it('does not cut inside a fenced code block, and honours the fence character and length', () => {
    const text = ['# A', '', '```', '', '# in code', '```', '', '# B', '', '````md', '```', '', '# still code', '````', '', '~~~', '```', '', '# code too', '~~~', '', '# C', ''].join('\n');
    assert.deepEqual(cutLines(text), ['# B', '# C']);
  });

  it('treats a backtick line with a backtick in its info string as text, not a fence', () => {
    assert.deepEqual(cutLines('# A\n\n``` a`b\n\n# B\n'), ['# B']);
  });

  it('does not cut inside an HTML comment, however many blank lines it spans', () => {
    const text = '# A\n\n<!-- draft\n\n# commented out\n\n-->\n\n# B\n\n<!-- one line -->\n\n# C\n';
    assert.deepEqual(cutLines(text), ['# B', '# C']);
  });

  it('does not cut inside HTML blocks of types 1, 3, 4 and 5', () => {
    const text = ['# A', '', '<script>', '', '# s', '</script>', '', '# B', '', '<?php', '', '# p', '?>', '', '# C', '', '<!DOCTYPE', '', '# d', '>', '', '# D', '', '<![CDATA[', '', '# c', ']]>', '', '# E', ''].join('\n');
    assert.deepEqual(cutLines(text), ['# B', '# C', '# D', '# E']);
  });

  it('cuts after an HTML block of type 6 once a blank line has closed it', () => {
    assert.deepEqual(cutLines('# A\n\n<div>\n# inside the div\n\n# B\n'), ['# B']);
  });

  it('does not cut inside the front matter (YAML comments start with "#")', () => {
    const text = '---\n# a YAML comment\n\ntitle: x\n---\n# A\n\n# B\n';
    // Right after the closing fence is a cut: the front matter is a chunk of its own.
    assert.deepEqual(cutLines(text), ['# A', '# B']);
    // A front matter that never closes is not one; micromark then reads the text in ways a
    // chunk without its first line would not, so such a text is never cut.
    assert.deepEqual(cutLines('---\n# A\n\n# B\n'), []);
  });

  it('reads CRLF and CR line endings', () => {
    assert.deepEqual(cutLines('# A\r\n\r\n```\r\n\r\n# code\r\n```\r\n\r\n# B\r\n'), ['# B']);
    assert.deepEqual(cutLines('# A\r\r# B\r'), ['# B']);
  });
});

describe('markdown chunks: the chunked parse equals the whole parse', () => {
  const cases: Record<string, string> = {
    'sections with lists, tables and comments': [
      '---', 'controls: [TEL.18.1.6]', '---', '# Policy', '', 'Intro.', '', '## 1. Secrecy (TEL.18.1.6)', '', 'We protect:', '', '1. the content', '2. the sender', '   - nested TEL.18.1.6(e)', '',
      '| a | b |', '|---|---|', '| TEL.18.1.6 a) | yes |', '', '<!-- x1051-not-applicable TEL.18.1.6(i): reason -->', '', '### 1.1 Detail', '', 'Setext', '======', '', '## 2. Other', '', 'Text **bold** and `code`.', '',
    ].join('\n'),
    'a fence opened in a list item and a column-0 fence that then stays open': ['# A', '', '1. Example:', '   ```', '   code', '', '```', '', '# not a heading: in the fence', '```', '', '# B', ''].join('\n'),
    'an unterminated comment reaching the end': ['# A', '', 'text', '', '<!-- open', '', '# hidden', '', '## hidden too', ''].join('\n'),
    'an unterminated fence reaching the end': ['# A', '', '~~~', '', '# code', '', '# more code', ''].join('\n'),
    'a byte-order mark and CRLF': '\uFEFF# A\r\n\r\nText TEL.18.1.6.\r\n\r\n## B\r\n\r\n- item\r\n\r\n## C\r\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, () => {
      const { whole, chunked } = both(text);
      assert.deepEqual(shape(chunked), shape(whole));
    });
  }

  it('joins a chunk whose parse ends in an open fence to the next (the scan cannot see list items)', () => {
    const text = cases['a fence opened in a list item and a column-0 fence that then stays open'];
    // The line scan takes the column-0 fence for the closer of the list item's fence and offers a
    // cut inside what micromark reads as code; the parse check must undo it.
    assert.ok(cutLines(text).includes('# not a heading: in the fence'));
    const { chunked } = both(text);
    assert.deepEqual(chunked.headings.map((h) => h.text), ['A', 'B']);
  });

  it('really parses the document in several chunks (the test above is not vacuous)', () => {
    const saved = { threshold: markdownInternals.threshold, every: markdownInternals.every };
    try {
      markdownInternals.threshold = 0;
      markdownInternals.every = 1;
      markdownInternals.clearCache();
      const before = markdownInternals.parses;
      parseMarkdown(cases['sections with lists, tables and comments']);
      // The front matter, "# Policy", "## 1.", "### 1.1", "## 2.": five chunks.
      assert.equal(markdownInternals.parses - before, 5);
    } finally {
      Object.assign(markdownInternals, saved);
    }
  });
});

describe('markdown chunks: the cache', () => {
  const sections = Array.from({ length: 30 }, (_, i) => `## ${i + 1}. Section\n\nThe content of communications is kept secret ${i}.\n\n1. one\n2. two\n`);
  const text = `# Policy\n\n${sections.join('\n')}`;
  let saved: { threshold: number; every: number };
  beforeEach(() => {
    saved = { threshold: markdownInternals.threshold, every: markdownInternals.every };
    markdownInternals.threshold = 0;
    markdownInternals.every = 1;
    markdownInternals.clearCache();
  });
  afterEach(() => Object.assign(markdownInternals, saved));

  it('re-parses only the edited chunk after an edit, with every later offset shifted', () => {
    parseMarkdown(text);
    const before = markdownInternals.parses;
    const edited = text.replace('secret 7.', 'secret 7, always.');
    const p = parseMarkdown(edited);
    assert.equal(markdownInternals.parses - before, 1);
    markdownInternals.chunking = false;
    try {
      assert.deepEqual(shape(p), shape(parseMarkdown(edited)));
    } finally {
      markdownInternals.chunking = true;
    }
  });

  it('hands out copies: altering a result does not alter the next parse', () => {
    const first = parseMarkdown(text);
    const expected = shape(first);
    first.headings[3].start = -1;
    first.headings[3].text = 'changed';
    first.blocks[2].rendered.map[0] = -1;
    first.blocks[2].start = 99999;
    first.comments.push({ start: 0, end: 0, body: '' });
    assert.deepEqual(shape(parseMarkdown(text)), expected);
  });

  it('stays within its size bound, which a longer text raises so that its own chunks are reused', () => {
    const doc = (tag: string, n: number) => `# ${tag}\n\n` + Array.from({ length: n }, (_, i) => `## ${tag} ${i}\n\n${'x'.repeat(200)} ${i}\n`).join('\n');
    const savedMax = markdownInternals.cacheMaxChars;
    try {
      markdownInternals.cacheMaxChars = 20_000;
      const a = doc('A', 60);
      const b = doc('B', 60);
      parseMarkdown(a);
      parseMarkdown(b);
      assert.ok(markdownInternals.cacheStats().chars <= 20_000, `cache holds ${markdownInternals.cacheStats().chars} chars`);
      // The most recent chunks are the ones kept: B again needs no parse, A needs some.
      let before = markdownInternals.parses;
      parseMarkdown(b);
      assert.equal(markdownInternals.parses - before, 0);
      before = markdownInternals.parses;
      parseMarkdown(a);
      assert.ok(markdownInternals.parses - before > 0);
      // A text longer than the bound still reuses all of its chunks after an edit at its end.
      const long = doc('L', 200);
      assert.ok(long.length > 20_000);
      parseMarkdown(long);
      assert.ok(markdownInternals.cacheStats().chars <= long.length * 1.25);
      before = markdownInternals.parses;
      parseMarkdown(`${long}\nAppended.\n`);
      assert.equal(markdownInternals.parses - before, 1);
    } finally {
      markdownInternals.cacheMaxChars = savedMax;
    }
  });
});
