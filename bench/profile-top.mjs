// Reads a V8 CPU profile (`node --cpu-prof` writes *.cpuprofile) and prints the functions with the
// most self time, and the ones with the most total time (self plus callees), with their source
// location, so a missed goal can be traced to a function and a file.
//
// Usage: node bench/profile-top.mjs <file.cpuprofile> [count=25]
// Locations in a bundle are bundle locations; build with X1051_MINIFY=0 (or profile the bench
// bundle, which keeps names) to read function names.
import { readFileSync } from 'node:fs';

/**
 * Self and total time per function of a profile.
 * @param {{ nodes: any[], samples: number[], timeDeltas: number[] }} profile
 * @returns {{ rows: Array<{ name: string, where: string, self: number, total: number }>, totalMs: number }}
 */
export function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const key = (n) => {
    const f = n.callFrame;
    const file = (f.url || '').replace(/^file:\/\//, '').split('/').slice(-3).join('/');
    return { id: `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}`, name: f.functionName || '(anonymous)', where: `${file}:${f.lineNumber + 1}` };
  };
  const rows = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    totalUs += us;
    const n = byId.get(id);
    const k = key(n);
    const row = rows.get(k.id) ?? { name: k.name, where: k.where, self: 0, total: 0 };
    row.self += us;
    rows.set(k.id, row);
    // Total time: each sample counts once for every distinct function on its stack.
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const pk = key(byId.get(p));
      if (seen.has(pk.id)) continue;
      seen.add(pk.id);
      const r = rows.get(pk.id) ?? { name: pk.name, where: pk.where, self: 0, total: 0 };
      r.total += us;
      rows.set(pk.id, r);
    }
  }
  return {
    rows: [...rows.values()].map((r) => ({ ...r, self: r.self / 1000, total: r.total / 1000 })),
    totalMs: totalUs / 1000,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/profile-top.mjs <file.cpuprofile> [count]');
    process.exit(2);
  }
  const count = Number(process.argv[3] ?? 25);
  const { rows, totalMs } = summarize(JSON.parse(readFileSync(file, 'utf8')));
  const skip = (r) => r.name === '(idle)' || r.name === '(root)' || r.name === '(program)';
  const fmt = (r, v) => `${v.toFixed(0).padStart(8)} ms ${((100 * v) / totalMs).toFixed(1).padStart(5)}%  ${r.name}  ${r.where}`;
  console.log(`Profile ${file}: ${totalMs.toFixed(0)} ms sampled`);
  console.log(`Top ${count} by self time:`);
  for (const r of rows.filter((r) => !skip(r)).sort((a, b) => b.self - a.self).slice(0, count)) console.log(fmt(r, r.self));
  console.log(`Top ${count} by total time:`);
  for (const r of rows.filter((r) => !skip(r)).sort((a, b) => b.total - a.total).slice(0, count)) console.log(fmt(r, r.total));
}
