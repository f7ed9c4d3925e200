import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines, withCursor, CURSOR } from '../helpers/inMemory';

describe('references', () => {
  const other = new InMemoryDocument('file:///b.md', joinLines('---', 'controls: [TEL.18.1.6]', '---', '', 'TEL.18.1.6 e) and TEL.18.1.7 are related.'));
  const unrelated = new InMemoryDocument('file:///c.md', 'Nothing here about 12.4.1 without brackets.');
  const { doc, position } = withCursor('file:///a.md', joinLines('# Policy', '', `## TEL.18.1.${CURSOR}6 Secrecy`, '', 'See also TEL.18.1.6(e).'));
  const workspace = new InMemoryWorkspace([other, unrelated, new InMemoryDocument('file:///a.md', 'stale text on disk')]);
  const service = createPolicyService({ catalog: fixtureIndex(), workspace });

  it('lists every citation of a control across the workspace, the open text taking precedence', () => {
    const refs = service.references(doc, position, defaultConfig());
    const where = refs.map((r) => `${r.uri}:${r.range.start.line}:${r.range.start.character}`);
    assert.deepEqual(where, ['file:///a.md:2:3', 'file:///a.md:4:9', 'file:///b.md:1:11', 'file:///b.md:4:0']);
  });

  it('on an item lists the citations of that item only', () => {
    const { doc: d, position: p } = withCursor('file:///a.md', `Item TEL.18.1.6 e${CURSOR}) here.`);
    const refs = service.references(d, p, defaultConfig());
    assert.deepEqual(refs.map((r) => r.uri), ['file:///a.md', 'file:///b.md']);
  });

  it('returns nothing off an id', () => {
    const { doc: d, position: p } = withCursor('file:///a.md', `no ${CURSOR}id`);
    assert.deepEqual(service.references(d, p, defaultConfig()), []);
  });
});
