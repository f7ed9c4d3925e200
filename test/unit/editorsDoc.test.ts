/**
 * docs/editors.md shows the Neovim config the end-to-end test runs, verbatim: the tested snippet
 * cannot drift from what is tested.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('docs/editors.md', () => {
  it('shows test/neovim/init.lua verbatim as the tested Neovim 0.7 set-up', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'editors.md'), 'utf8');
    const init = fs.readFileSync(path.join(ROOT, 'test', 'neovim', 'init.lua'), 'utf8');
    const section = doc.slice(doc.indexOf('## Neovim 0.7 (tested)'));
    const block = /```lua\n([\s\S]*?)```/.exec(section)?.[1];
    assert.equal(block, init);
  });

  it('marks every other set-up as untested', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'editors.md'), 'utf8');
    const headings = doc.split('\n').filter((l) => /^## (Neovim|Helix|Emacs|Zed|Sublime)/.test(l));
    assert.ok(headings.length >= 6, headings.join('\n'));
    for (const h of headings) assert.match(h, /\((tested|untested)\)/, h);
    assert.equal(headings.filter((h) => h.includes('(tested)')).length, 1);
  });
});
