/**
 * The server's indexing progress message, and what it must not cost: the first `Intl` number
 * format in a process makes V8 list every locale ICU knows, which leaves about 5 MiB of ICU's data
 * resident in the server for good (issue #13, memory).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { grouped, progressMessage } from '../../server/src/server/checking';

describe('indexing progress message', () => {
  it('groups thousands with commas, as the status bar shows them', () => {
    assert.equal(grouped(0), '0');
    assert.equal(grouped(7), '7');
    assert.equal(grouped(999), '999');
    assert.equal(grouped(1000), '1,000');
    assert.equal(grouped(12345), '12,345');
    assert.equal(grouped(1234567), '1,234,567');
    assert.equal(grouped(-4321), '-4,321');
    assert.equal(progressMessage('checking', 340, 1000), 'checking 340/1,000 files');
    assert.equal(progressMessage('reading', 0, 12), 'reading 0/12 files');
  });

  it('the bundled server and analysis worker format no number or date through Intl', () => {
    const dist = join(__dirname, '..', '..', 'dist');
    for (const file of ['server.js', 'analysisWorker.js']) {
      const code = readFileSync(join(dist, file), 'utf8');
      const calls = code.match(/\.toLocale(?:String|DateString|TimeString)\(|\bIntl\.(?:NumberFormat|DateTimeFormat|PluralRules|RelativeTimeFormat)\b/g) ?? [];
      assert.deepEqual(calls, [], `${file} calls ${calls.join(', ')}`);
    }
  });
});
