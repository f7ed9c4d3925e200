/**
 * The exported Statement of Applicability lists each document's owner, version, approval and
 * next review (#14), escaped like every other cell, and only when some document carries them.
 */
import * as assert from 'node:assert/strict';
import { renderSoa, type SoaDocumentHeaders } from '../../client/src/soa';

const HEADERS = { id: 'Control', title: 'Title', applicable: 'Applicable', justification: 'Justification', status: 'Status', items: 'Items', where: 'Where' };
const DOC_HEADERS: SoaDocumentHeaders = { title: 'Documents', path: 'Document', owner: 'Owner', version: 'Version', approvedBy: 'Approved by', approved: 'Approved', nextReview: 'Next review', overdue: '(overdue)' };
const ROW = { id: 'TEL.18.1.6', title: 'Secrecy', applicable: 'yes' as const, justification: '', status: 'addressed', addressed: 5, total: 5, where: ['a.md:3'] };

describe('SoA export: documents and their metadata', () => {
  it('adds a documents table to the Markdown export, marking an overdue review and escaping cells', () => {
    const md = renderSoa([ROW], 'markdown', HEADERS, 'SoA', {
      list: [
        { path: 'a.md', owner: 'CISO | Legal', version: '2.0', approvedBy: 'Board', approved: '2026-04-01', nextReview: '2026-01-01', reviewOverdue: true },
        { path: 'b.md' },
      ],
      headers: DOC_HEADERS,
    });
    assert.match(md, /## Documents\n\n\| Document \| Owner \| Version \| Approved by \| Approved \| Next review \|/);
    assert.match(md, /\| a\.md \| CISO \\\| Legal \| 2\.0 \| Board \| 2026-04-01 \| 2026-01-01 \\\(overdue\\\) \|/);
    assert.match(md, /\| b\.md \|  \|  \|  \|  \|  \|/);
  });

  it('leaves the table out when no document has metadata, and the JSON export keeps its array shape', () => {
    const md = renderSoa([ROW], 'markdown', HEADERS, 'SoA', { list: [{ path: 'b.md' }], headers: DOC_HEADERS });
    assert.doesNotMatch(md, /Documents/);
    const json = JSON.parse(renderSoa([ROW], 'json', HEADERS, 'SoA', { list: [{ path: 'a.md', owner: 'x' }], headers: DOC_HEADERS }));
    assert.ok(Array.isArray(json));
  });
});
