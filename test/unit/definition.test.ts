import * as assert from 'node:assert/strict';
import { controlDocumentUri, createPolicyService, defaultConfig, parseControlDocumentUri } from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryWorkspace, joinLines, withCursor, CURSOR } from '../helpers/inMemory';

const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });

describe('definition', () => {
  it('goes from a control id to its read-only control document in the document language', () => {
    const { doc, position } = withCursor('file:///d.md', joinLines('# 方針', '', `## TEL.18.${CURSOR}1.6 通信の秘密保持`, '', '本文。'));
    const [loc] = service.definition(doc, position, defaultConfig());
    assert.equal(loc.uri, 'x1051-control:/TEL.18.1.6.md?lang=ja');
    assert.deepEqual(loc.range.start, { line: 0, character: 0 });
  });

  it('points an item id at the item line of the control document', () => {
    const { doc, position } = withCursor('file:///d.md', `We keep TEL.18.1.6 e${CURSOR}) secret.`);
    const [loc] = service.definition(doc, position, { ...defaultConfig(), language: 'en' });
    assert.equal(loc.uri, 'x1051-control:/TEL.18.1.6.md?lang=en');
    const text = service.controlDocument('TEL.18.1.6', 'en')!.split('\n');
    assert.match(text[loc.range.start.line], /`TEL\.18\.1\.6\(e\)`/);
  });

  it('has no definition for unknown ids or plain text', () => {
    for (const t of [`See TEL.18.1.${CURSOR}9.`, `plain ${CURSOR}text`]) {
      const { doc, position } = withCursor('file:///d.md', t);
      assert.deepEqual(service.definition(doc, position, defaultConfig()), []);
    }
  });

  it('renders control documents and round-trips their uris (also percent-encoded)', () => {
    assert.match(service.controlDocument('12.4.1', 'ja') ?? '', /^## 12\.4\.1 イベントログ取得/);
    assert.equal(service.controlDocument('TEL.99.1.1', 'ja'), undefined);
    assert.deepEqual(parseControlDocumentUri(controlDocumentUri('TEL.18.1.6', 'en')), { id: 'TEL.18.1.6', lang: 'en' });
    assert.deepEqual(parseControlDocumentUri('x1051-control:/12.4.1.md?lang%3Den'), { id: '12.4.1', lang: 'en' });
    assert.equal(parseControlDocumentUri('file:///x.md'), undefined);
  });
});
