/**
 * The coverage sidebar grouped by ISO/IEC 27002:2022 (client/src/grouping2022.ts, pure), against
 * the real compiled catalogue, and the contributions that let the user switch it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexCatalog } from '../../client/src/catalog';
import { groups2022 } from '../../client/src/grouping2022';
import type { Catalog } from '../../catalog/src/types';

const root = join(__dirname, '..', '..');

describe('client: coverage sidebar grouped by ISO/IEC 27002:2022', function () {
  this.timeout(60000);
  const catalog = indexCatalog(JSON.parse(readFileSync(join(root, 'dist', 'catalog.json'), 'utf8')) as Catalog);

  it('all controls: 93 groups in 2022 order, each with the X.1051 controls it maps from; 18.2.3 under 5.36 and 8.8', () => {
    const groups = groups2022(catalog, () => true, 'en', true);
    assert.equal(groups.length, 93);
    assert.equal(groups[0].title, '5.1 Policies for information security');
    assert.deepEqual(groups.find((g) => g.id === '8.15')?.controls, ['12.4.1', '12.4.2', '12.4.3']);
    assert.deepEqual(groups.filter((g) => g.controls.includes('18.2.3')).map((g) => g.id), ['5.36', '8.8']);
    assert.deepEqual(groups.find((g) => g.id === '5.7')?.controls, []);
    assert.equal(groups2022(catalog, () => true, 'ja', true).find((g) => g.id === '8.15')?.title, '8.15 ログ取得');
  });

  it('a filter keeps only the 2022 controls with a kept X.1051 control (no empty groups, no new controls)', () => {
    const kept = new Set(['12.4.1', '13.1.3']);
    const groups = groups2022(catalog, (id) => kept.has(id), 'en', false);
    assert.deepEqual(groups.map((g) => `${g.id}:${g.controls.join('+')}`), ['8.15:12.4.1', '8.22:13.1.3']);
  });

  it('package.json contributes the setting and the toolbar toggle', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const settings = Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties));
    assert.deepEqual(settings['x1051.coverage.groupBy'].enum, ['2013', '2022']);
    const titleMenu = pkg.contributes.menus['view/title'] as Array<{ command: string; when: string }>;
    assert.match(titleMenu.find((m) => m.command === 'x1051.coverage.groupBy2022')!.when, /x1051\.coverageGroupBy != 2022/);
    assert.match(titleMenu.find((m) => m.command === 'x1051.coverage.groupBy2013')!.when, /x1051\.coverageGroupBy == 2022/);
  });
});
