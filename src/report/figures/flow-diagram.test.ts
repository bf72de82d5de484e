import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowDiagramSvg, wrapText } from './flow-diagram.js';
import { sampleFlowInput } from './sample-data.js';
import { markGroups, markTexts } from '../svg-query.js';
import { findSmallCells } from '../suppress.js';
import { textWidth } from './theme.js';
import { SpecificationError } from '../../core/errors.js';

test('flow diagram: a box per step, per non-empty exclusion and per group, with their counts', () => {
  const input = sampleFlowInput();
  const svg = flowDiagramSvg(input);
  assert.equal(markGroups(svg, 'flow-step').length, input.steps.length);
  assert.equal(markGroups(svg, 'flow-excluded').length, input.steps.filter((s) => s.excluded !== 0).length);
  assert.equal(markGroups(svg, 'flow-group').length, input.groups.length);
  const stepCounts = markTexts(svg, 'flow-step').filter((t) => t.startsWith('n '));
  assert.deepEqual(stepCounts, ['n = 152,340', 'n = 48,210', 'n = 45,002', 'n = 44,996']);
  assert.deepEqual(markTexts(svg, 'flow-excluded').filter((t) => t.startsWith('n ')), ['n = 104,130', 'n = 3,208', 'n < 10']);
  assert.deepEqual(markTexts(svg, 'flow-group').filter((t) => t.startsWith('n ')), ['n = 12,004', 'n = 32,992']);
  assert.deepEqual(findSmallCells(svg), []);
  // Arrows: one per step after the first, one per exclusion, one per group.
  assert.equal((svg.match(/marker-end=/g) ?? []).length, 3 + 3 + 2);
  assert.ok(!/https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(svg));
});

test('flow diagram: suppression off shows the raw count; text is escaped', () => {
  const input = sampleFlowInput();
  const raw = flowDiagramSvg({ ...input, suppress: false });
  assert.deepEqual(findSmallCells(raw), ['n = 6']);
  const svg = flowDiagramSvg({ steps: [{ description: 'Stage <III & "N2"', remaining: 50, excluded: 0 }], groups: [] });
  assert.ok(svg.includes('Stage &lt;III &amp; &quot;N2&quot;'));
  assert.throws(() => flowDiagramSvg({ steps: [], groups: [] }), SpecificationError);
});

test('wrapText: greedy lines within the width, words kept whole', () => {
  const lines = wrapText('Known immunotherapy status and vital status recorded at the facility', 120);
  assert.ok(lines.length >= 3);
  for (const l of lines) assert.ok(textWidth(l) <= 120 || !l.includes(' '));
  assert.equal(lines.join(' '), 'Known immunotherapy status and vital status recorded at the facility');
  assert.deepEqual(wrapText('', 100), ['']);
});

test('flow diagram, compact layout: same boxes and counts, no two boxes overlap, shorter than the standard layout', () => {
  const base = sampleFlowInput();
  // A long selection: the sample steps repeated (12 steps).
  const steps = [...base.steps, ...base.steps.slice(1), ...base.steps.slice(1), ...base.steps.slice(1), ...base.steps.slice(1, 3)];
  const input = { ...base, steps };
  const standard = flowDiagramSvg(input);
  const compact = flowDiagramSvg({ ...input, compact: true });
  assert.deepEqual(markTexts(compact, 'flow-excluded').filter((t) => t.startsWith('n ')), markTexts(standard, 'flow-excluded').filter((t) => t.startsWith('n ')));
  assert.deepEqual(markTexts(compact, 'flow-step').filter((t) => t.startsWith('n ')), markTexts(standard, 'flow-step').filter((t) => t.startsWith('n ')));
  const height = (svg: string): number => Number(/height="(\d+)"/.exec(svg)![1]);
  assert.ok(height(compact) < 0.85 * height(standard), `${height(compact)} vs ${height(standard)}`);
  const rects = [...compact.matchAll(/<g class="flow-[a-z]+"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
  assert.equal(rects.length, markGroups(compact, 'flow-step').length + markGroups(compact, 'flow-excluded').length + markGroups(compact, 'flow-group').length);
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const [x1, y1, w1, h1] = rects[i]!;
      const [x2, y2, w2, h2] = rects[j]!;
      const overlap = x1! < x2! + w2! && x2! < x1! + w1! && y1! < y2! + h2! && y2! < y1! + h1!;
      assert.equal(overlap, false, `boxes ${i} and ${j} overlap`);
    }
  }
});
