import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

const text = joinLines(
  '# 方針',
  '',
  '## TEL.18.1.6 通信の秘密保持',
  '',
  '通信の存在、通信の内容、発信元、着信先は開示しない。',
  '',
  '## 重要通信（TEL.18.1.7）',
  '',
  '気象機関との通信を優先する。',
);
const doc = new InMemoryDocument('file:///s.md', text);

describe('symbols', () => {
  const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace([doc]) });

  it('lists the claims of a document with their sections and counts', () => {
    const symbols = service.documentSymbols(doc, defaultConfig());
    assert.deepEqual(symbols.map((s) => s.name), ['TEL.18.1.6 通信の秘密保持', 'TEL.18.1.7 重要通信']);
    assert.deepEqual(symbols[0].selectionRange.start, { line: 2, character: 0 });
    assert.equal(symbols[0].range.end.line >= 5, true);
    assert.equal(symbols[1].detail, '3 項目中 1 項目に対応');
  });

  it('finds controls in the workspace: claims where they are claimed, the control document otherwise', () => {
    const hits = service.workspaceSymbols('18.1', 'ja', defaultConfig());
    const byName = new Map(hits.map((h) => [h.name, h]));
    assert.equal(byName.get('TEL.18.1.6 通信の秘密保持')?.location.uri, 'file:///s.md');
    assert.equal(byName.get('TEL.18.1.6 通信の秘密保持')?.kind, 'claim');
    const logging = service.workspaceSymbols('ログ', 'ja', defaultConfig());
    const asIs = logging.find((h) => h.name.startsWith('12.4.2'));
    assert.equal(asIs?.kind, 'control');
    assert.equal(asIs?.location.uri, 'x1051-control:/12.4.2.md?lang=ja');
    assert.deepEqual(service.workspaceSymbols('zzzz-nothing', 'en', defaultConfig()), []);
  });
});
