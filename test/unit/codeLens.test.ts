import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });

describe('code lens', () => {
  it('shows "n of m items addressed" above each claim, in Japanese', () => {
    const doc = new InMemoryDocument('file:///l.md', joinLines('# 方針', '', '## TEL.18.1.6 通信の秘密保持', '', '通信の存在と通信の内容は開示しない。'));
    const [lens] = service.codeLenses(doc, defaultConfig());
    // The counts per level keep the detail that the diagnostics fold into one finding.
    assert.match(lens.title, /^TEL\.18\.1\.6 · 15 項目中 2 項目に対応 · 未記述 必須 3、推奨 10$/);
    assert.deepEqual(lens.range.start, { line: 2, character: 0 });
    assert.equal(lens.command, 'x1051.showControl');
    assert.deepEqual(lens.arguments, ['TEL.18.1.6', 'ja']);
  });

  it('counts not-applicable items apart, in English', () => {
    const doc = new InMemoryDocument('file:///l.md', joinLines(
      '# Policy',
      '',
      '## TEL.18.1.7 Priority communications',
      '',
      'We give priority to meteorological agencies.',
      '<!-- x1051-not-applicable TEL.18.1.7(b): we serve no flood-control agency -->',
    ));
    const [lens] = service.codeLenses(doc, defaultConfig());
    assert.equal(lens.title, 'TEL.18.1.7 · 1/2 items addressed (1 n/a) · missing 1 informative');
  });

  it('says there is nothing to check for a control without items', () => {
    const doc = new InMemoryDocument('file:///l.md', joinLines('# Policy', '', '## Protection of logs [12.4.2]', '', 'Logs are protected.'));
    assert.deepEqual(service.codeLenses(doc, defaultConfig()).map((l) => l.title), ['12.4.2 · cited, not checked (no items to check)']);
  });
});
