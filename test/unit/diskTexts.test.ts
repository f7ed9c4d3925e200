/**
 * Closed files keep no text (issue #13, memory): the workspace keeps the texts of the last few
 * disk documents used and reads any other again from the file, its digest telling whether the
 * file changed meanwhile; the service tells an analysis fresh by the document's stamp, without
 * reading (or keeping) the text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPolicyService, defaultConfig, type PolicyDocument } from '../../server/src/service';
import { KEPT_DISK_TEXTS, NodeFileSystem, pathToUri, WorkspaceIndex, type DiskDocument } from '../../server/src/workspace';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryWorkspace } from '../helpers/inMemory';

const POLICY = (n: number) => `# Policy ${n}\n\n## TEL.18.1.6 Secrecy of communications\n\nCall records of file ${n} are never disclosed.\n`;

describe('closed files keep no text (issue #13, memory)', () => {
  let dir: string;
  let reads: string[];
  let ws: WorkspaceIndex;
  const files = KEPT_DISK_TEXTS + 8;
  const file = (i: number) => path.join(dir, `p${String(i).padStart(3, '0')}.md`);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-disk-texts-'));
    for (let i = 0; i < files; i++) fs.writeFileSync(file(i), POLICY(i));
    reads = [];
    const real = new NodeFileSystem();
    ws = new WorkspaceIndex(
      { readFile: (f) => real.readFile(f), readText: (f) => (reads.push(path.basename(f)), real.readText(f)), readDir: (d) => real.readDir(d), isFile: (f) => real.isFile(f) },
      () => undefined,
      () => [],
    );
    ws.setFolders([pathToUri(dir)]);
    await ws.scan();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const disk = (i: number) => ws.get(pathToUri(file(i))) as DiskDocument;
  const held = () => Array.from({ length: files }, (_, i) => disk(i)).filter((d) => d.holdsText).length;

  it(`keeps the texts of the last ${KEPT_DISK_TEXTS} files used and reads an older one again, same version`, () => {
    assert.equal(reads.length, files, 'the scan read each file once');
    assert.equal(held(), KEPT_DISK_TEXTS);
    assert.equal(disk(0).holdsText, false, 'the first file read has dropped its text');
    const v = disk(0).version;
    assert.equal(disk(0).getText(), POLICY(0));
    assert.deepEqual(reads.slice(files), ['p000.md'], 'read again from the file');
    assert.equal(disk(0).version, v, 'the same text keeps its version');
    assert.equal(disk(0).holdsText, true);
    assert.equal(held(), KEPT_DISK_TEXTS, 'and another text was dropped for it');
    // A kept text is not read again.
    disk(0).getText();
    assert.equal(reads.length, files + 1);
  });

  it('a file changed before the watcher said so: the re-read gives the new text and version, and the watcher\'s event still counts as a change', () => {
    const before = disk(0);
    const v = before.version;
    fs.writeFileSync(file(0), '# Rewritten\n');
    assert.equal(before.getText(), '# Rewritten\n');
    assert.ok(before.version > v, 'a new version for the new text');
    assert.equal(before.stamp, before.version);
    // The watcher's read finds the text already current, but nobody has re-checked it yet.
    assert.equal(ws.readDisk(pathToUri(file(0))), true);
    assert.equal(ws.readDisk(pathToUri(file(0))), false, 'reported once');
  });

  it('a file that cannot be read any more reads as empty under a new version', () => {
    const v = disk(1).version;
    fs.rmSync(file(1));
    assert.equal(disk(1).getText(), '');
    assert.ok(disk(1).version > v);
    assert.equal(ws.readDisk(pathToUri(file(1))), true, 'the watcher\'s event then forgets it');
    assert.equal(ws.get(pathToUri(file(1))), undefined);
  });

  it('never gives a version twice: a file deleted and created again with other text gets a new one', () => {
    const uri = pathToUri(file(2));
    const old = disk(2).version;
    fs.rmSync(file(2));
    assert.equal(ws.deleteDisk(uri), true);
    fs.writeFileSync(file(2), '# Another text\n');
    assert.equal(ws.readDisk(uri), true);
    assert.notEqual(disk(2).version, old);
    assert.ok(disk(2).version > old);
  });

  it('the service tells a stamped document\'s analysis fresh without reading its text, and keeps none', () => {
    const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });
    const config = defaultConfig();
    let texts = 0;
    let stamp = 1;
    let text = POLICY(1);
    const doc: PolicyDocument = {
      uri: 'file:///w/closed.md',
      get version() {
        return stamp;
      },
      get stamp() {
        return stamp;
      },
      getText: () => (texts++, text),
    };
    const first = service.analyze(doc, config);
    const read = texts;
    assert.equal(service.analyze(doc, config), first);
    assert.equal(service.isAnalyzed(doc, config), true);
    service.coverage(config);
    assert.equal(texts, read, 'no text read to know the analysis is fresh');
    // A new stamp is a new text.
    text = '# Policy\n\nNothing cited.\n';
    stamp = 2;
    assert.equal(service.isAnalyzed(doc, config), false);
    const second = service.analyze(doc, config);
    assert.notEqual(second, first);
    assert.equal(second.citations.length, 0);
  });

  it('an unstamped document (an open one) is still compared by its text, also against a stamped analysis', () => {
    const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });
    const config = defaultConfig();
    const closed = disk(3);
    const analysis = service.analyze(closed, config);
    // The editor opens it with the same text and, by chance, the same version number.
    const same: PolicyDocument = { uri: closed.uri, version: closed.version, getText: () => POLICY(3) };
    assert.equal(service.analyze(same, config), analysis, 'the same text: the analysis is reused');
    const edited: PolicyDocument = { uri: closed.uri, version: closed.version, getText: () => POLICY(3) + '\nMore.\n' };
    assert.notEqual(service.analyze(edited, config), analysis, 'another text under the same number is analysed again');
  });
});
